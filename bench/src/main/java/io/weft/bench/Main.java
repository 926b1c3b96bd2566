package io.weft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * weft-bench: a load generator for the Weft control plane. Phases:
 * <ol>
 * <li>connect N simulated agents (one connection and Watch stream each) and wait until all are synced;</li>
 * <li>make admin changes one at a time and time how long each takes to reach every agent;</li>
 * <li>optionally allocate addresses while the agents are connected (every allocation is a delta to all);</li>
 * <li>close the agents, then allocate addresses from 50 concurrent clients for a fixed time.</li>
 * </ol>
 * Prints a report and, with --result-file, appends one tab-separated row (see {@link #ROW_HEADER}).
 */
public final class Main {
    static final String ROW_HEADER = "agents\tjoining\tsynced\tconnect_s\tagents_per_s\tprop_p50_ms\tprop_p99_ms\tprop_max_ms\tmedian_agent_p50_ms"
            + "\tincomplete\tstreams_lost\talloc_per_s\talloc_p50_ms\talloc_p99_ms\tduplicates\tcp_rss_peak_mb\tcp_cores_connect"
            + "\tgen_cores_connect\tother_cores_connect\tcp_cores_prop\tcp_cores_ipam\tgen_cores_ipam\tother_cores_ipam";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        BenchConfig cfg;
        try {
            cfg = BenchConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("weft-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(cfg));
    }

    static int run(BenchConfig cfg) throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Channels.daemonFactory("bench-timer-"));
        ProcSampler proc = new ProcSampler(cfg.cpPid, scheduler);
        int failures = 0;
        try (Channels channels = new Channels(cfg.host, cfg.port, cfg.eventLoopThreads)) {
            System.out.printf("weft-bench run %s: %d agents -> %s:%d (%s, %d event loops), %d changes, %d IPAM clients x %d s%n", cfg.runId,
                    cfg.agents, cfg.host, cfg.port, channels.transport(), cfg.eventLoopThreads, cfg.changes, cfg.ipamClients, cfg.ipamSeconds);

            LoopLag lag = new LoopLag(channels.group());

            // 1. connect
            WatchBench watch = new WatchBench(cfg, channels, scheduler, lag);
            System.out.printf("[connect] %s opening agents%n", java.time.LocalTime.now().withNano(0));
            ProcSampler.Cpu c0 = proc.cpu();
            WatchBench.ConnectResult conn = watch.connect();
            ProcSampler.Cpu c1 = proc.cpu();
            System.out.printf("[connect] %d of %d agents synced in %.2f s (%.0f agents/s, %d joining at once); not synced %d%n",
                    conn.synced(), conn.agents(), conn.wallNanos() / 1e9, conn.synced() / (conn.wallNanos() / 1e9), cfg.connectConcurrency,
                    conn.failed());
            System.out.printf("[connect] per agent, open -> Synced: %s%n", Stats.summary(conn.perAgentSorted()));
            System.out.printf("[connect] %s; control plane RSS %d MB; generator event-loop lag max %d ms%n", c1.since(c0),
                    proc.cpRssMbNow(), lag.takeMaxMillis());
            if (conn.failed() > 0) {
                failures++;
                System.out.printf("[connect] end reasons: %s%n", watch.endReasons());
            }
            if (conn.synced() == 0) {
                System.out.println("weft-bench: no agent synced; nothing to measure");
                watch.close(30);
                return 1;
            }

            // 2. propagation
            System.out.printf("[settle] %s%n", java.time.LocalTime.now().withNano(0));
            boolean settled = watch.settle(120);
            System.out.printf("[settle] every agent at the newest revision: %s; %s%n", settled, watch.totals());
            awaitQuiet(cfg, proc, "propagation");
            System.out.printf("[propagation] %s%n", java.time.LocalTime.now().withNano(0));
            ProcSampler.Cpu p0 = proc.cpu();
            WatchBench.PropagationResult prop = watch.propagate();
            ProcSampler.Cpu p1 = proc.cpu();
            for (WatchBench.Change ch : prop.changes()) {
                System.out.printf("  revision %d: RPC %.1f ms, first agent %.1f ms, half %.1f ms, all %d/%d %.1f ms%n", ch.revision(),
                        Stats.millis(ch.rpcNanos()), Stats.millis(ch.firstNanos()), Stats.millis(ch.medianNanos()), ch.reached(),
                        ch.expected(), Stats.millis(ch.allNanos()));
            }
            System.out.printf("[propagation] change -> ALL %d agents: %s%n", watch.liveAgents(), Stats.summary(prop.allSorted()));
            System.out.printf("[propagation] change -> half of the agents: %s%n", Stats.summary(prop.medianSorted()));
            System.out.printf("[propagation] AddRecords RPC alone: %s%n", Stats.summary(prop.rpcSorted()));
            System.out.printf("[propagation] %s; generator event-loop lag max %d ms; incomplete changes %d%n", p1.since(p0),
                    lag.takeMaxMillis(), prop.incomplete());
            if (prop.incomplete() > 0) {
                failures++;
            }

            // 3. optional: allocations while every agent watches
            IpamBench ipam = new IpamBench(cfg, channels);
            if (cfg.ipamWatchedSeconds > 0) {
                ProcSampler.Cpu w0 = proc.cpu();
                IpamBench.Result r = ipam.run("watched", cfg.ipamWatchedSeconds, "bench-0");
                ProcSampler.Cpu w1 = proc.cpu();
                failures += report(r, w1.since(w0));
                boolean caughtUp = watch.settle(120);
                System.out.printf("[ipam watched] agents caught up afterwards: %s; %s%n", caughtUp, watch.totals());
            }

            int lost = watch.endedAfterSync();
            System.out.printf("[streams] %d agent streams ended while synced; end reasons: %s%n", lost, watch.endReasons());
            System.out.printf("[streams] %s%n", watch.totals());
            if (lost > 0 || watch.outOfOrder() > 0) {
                failures++;
            }
            System.out.println("[server metrics]");
            ServerMetrics.scrape(cfg.host, cfg.port, cfg.adminToken).forEach(l -> System.out.println("  " + l));

            // 4. allocations without watchers
            long closeStart = System.nanoTime();
            watch.close(60);
            System.out.printf("[close] agents closed in %.1f s%n", (System.nanoTime() - closeStart) / 1e9);
            IpamBench.Result alloc = null;
            ProcSampler.Cpu i0 = proc.cpu();
            ProcSampler.Cpu i1 = i0;
            if (cfg.ipamSeconds > 0) {
                Thread.sleep(2000); // let the control plane finish marking hosts disconnected
                awaitQuiet(cfg, proc, "ipam");
                i0 = proc.cpu();
                alloc = ipam.run("idle", cfg.ipamSeconds, "bench-0");
                i1 = proc.cpu();
                failures += report(alloc, i1.since(i0));
            }
            System.out.printf("[memory] control plane peak RSS %d MB, generator peak RSS %d MB%n", proc.cpPeakRssMb(), proc.genPeakRssMb());

            if (!cfg.resultFile.isEmpty()) {
                writeRow(cfg, conn, prop, lost, alloc, proc, c0, c1, p0, p1, i0, i1);
            }
        } finally {
            scheduler.shutdownNow();
        }
        System.out.println(failures == 0 ? "weft-bench: done" : "weft-bench: done, with " + failures + " problem(s) (see above)");
        return failures == 0 ? 0 : 1;
    }

    private static void awaitQuiet(BenchConfig cfg, ProcSampler proc, String phase) throws InterruptedException {
        if (cfg.quietWaitSeconds <= 0) {
            return;
        }
        int waited = proc.awaitQuiet(cfg.quietWaitSeconds, 0.2);
        System.out.printf("[quiet] before %s: %s%n", phase,
                waited < 0 ? "other processes still busy after " + cfg.quietWaitSeconds + " s; going on (see 'everything else')"
                        : "machine quiet after " + waited + " s");
    }

    private static int report(IpamBench.Result r, String cpu) {
        System.out.printf("[ipam %s] %d allocations in %.0f s = %.0f allocations/s from %d clients; latency %s%n", r.label(),
                r.allocations(), r.seconds(), r.perSecond(), r.clients(), Stats.summary(r.latencySorted()));
        System.out.printf("[ipam %s] addresses answered %d, duplicates %d, outside %s %d; ListAllocations: %d rows, %d distinct; errors %s%n",
                r.label(), r.answered(), r.duplicates(), r.cidr(), r.outsideCidr(), r.listed(), r.listedDistinct(), r.errors());
        System.out.printf("[ipam %s] %s%n", r.label(), cpu);
        boolean ok = r.duplicates() == 0 && r.outsideCidr() == 0 && r.listed() == r.listedDistinct() && r.listedDistinct() == r.answered();
        if (!ok) {
            System.out.printf("[ipam %s] CHECK FAILED: duplicate, out-of-range or unlisted addresses%n", r.label());
        }
        return ok ? 0 : 1;
    }

    private static void writeRow(BenchConfig cfg, WatchBench.ConnectResult conn, WatchBench.PropagationResult prop, int lost,
            IpamBench.Result alloc, ProcSampler proc, ProcSampler.Cpu c0, ProcSampler.Cpu c1, ProcSampler.Cpu p0, ProcSampler.Cpu p1,
            ProcSampler.Cpu i0, ProcSampler.Cpu i1) throws IOException {
        long[] all = prop.allSorted();
        long[] half = prop.medianSorted();
        String row = String.join("\t",
                Integer.toString(conn.agents()),
                Integer.toString(cfg.connectConcurrency),
                Integer.toString(conn.synced()),
                String.format("%.1f", conn.wallNanos() / 1e9),
                String.format("%.0f", conn.synced() / (conn.wallNanos() / 1e9)),
                String.format("%.1f", Stats.millis(Stats.percentile(all, 50))),
                String.format("%.1f", Stats.millis(Stats.percentile(all, 99))),
                String.format("%.1f", Stats.millis(all.length == 0 ? 0 : all[all.length - 1])),
                String.format("%.1f", Stats.millis(Stats.percentile(half, 50))),
                Integer.toString(prop.incomplete()),
                Integer.toString(lost),
                alloc == null ? "-" : String.format("%.0f", alloc.perSecond()),
                alloc == null ? "-" : String.format("%.1f", Stats.millis(Stats.percentile(alloc.latencySorted(), 50))),
                alloc == null ? "-" : String.format("%.1f", Stats.millis(Stats.percentile(alloc.latencySorted(), 99))),
                alloc == null ? "-" : Long.toString(alloc.duplicates()),
                Long.toString(proc.cpPeakRssMb()),
                String.format("%.2f", c1.cpCores(c0)),
                String.format("%.2f", c1.genCores(c0)),
                String.format("%.2f", c1.otherCores(c0)),
                String.format("%.2f", p1.cpCores(p0)),
                String.format("%.2f", i1.cpCores(i0)),
                String.format("%.2f", i1.genCores(i0)),
                String.format("%.2f", i1.otherCores(i0)));
        Path f = Path.of(cfg.resultFile);
        if (!Files.exists(f) || Files.size(f) == 0) {
            Files.writeString(f, ROW_HEADER + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Files.writeString(f, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
