package io.weft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsServiceGrpc;
import io.weft.api.v1.ListNetworksRequest;
import io.weft.api.v1.NetworkServiceGrpc;

/**
 * Phase 1 and 2: opens N agent watch streams (one connection each), times how long they take to
 * be synced, then times how long each of a series of admin changes takes to reach all of them.
 */
final class WatchBench implements SimAgent.Events {
    record ConnectResult(int agents, int synced, int failed, long wallNanos, long[] perAgentSorted) {
    }

    record Change(long revision, long rpcNanos, long firstNanos, long medianNanos, long allNanos, int reached, int expected) {
    }

    record PropagationResult(List<Change> changes, long[] allSorted, long[] medianSorted, long[] rpcSorted, int incomplete) {
    }

    private final BenchConfig cfg;
    private final Channels channels;
    private final ScheduledExecutorService heartbeats;
    private final Channel admin;
    private final ManagedChannel adminChannel;
    private final PropagationTracker tracker;
    private final List<SimAgent> agents = new ArrayList<>();
    private final AtomicInteger syncedCount = new AtomicInteger();
    private final AtomicInteger failedBeforeSync = new AtomicInteger();
    private final AtomicInteger endedAfterSync = new AtomicInteger();
    private final Map<String, AtomicInteger> endReasons = new java.util.concurrent.ConcurrentHashMap<>();
    private Semaphore opening;
    private volatile boolean closing;

    private final LoopLag lag;

    WatchBench(BenchConfig cfg, Channels channels, ScheduledExecutorService heartbeats, LoopLag lag) {
        this.cfg = cfg;
        this.lag = lag;
        this.channels = channels;
        this.heartbeats = heartbeats;
        this.adminChannel = channels.openForBlocking();
        this.admin = Channels.withToken(adminChannel, cfg.adminToken);
        this.tracker = new PropagationTracker(cfg.agents);
    }

    /** Opens every agent, at most connect-concurrency between open and Synced, and waits for all to sync. */
    ConnectResult connect() throws InterruptedException {
        opening = new Semaphore(cfg.connectConcurrency);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(cfg.connectTimeoutSeconds);
        long lastReport = start;
        for (int i = 0; i < cfg.agents; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !opening.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                System.out.printf("  connect timed out after %d of %d agents were opened%n", i, cfg.agents);
                break;
            }
            ManagedChannel ch = channels.open();
            SimAgent a = new SimAgent(i, ch, Channels.withToken(ch, cfg.joinToken), this, heartbeats);
            synchronized (agents) {
                agents.add(a);
            }
            a.hello();
            long now = System.nanoTime();
            if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = now;
                System.out.printf("  ... %d opened, %d synced, %d failed, %d lost after sync (%.0f s; generator loop lag %d ms)%n", i + 1,
                        syncedCount.get(), failedBeforeSync.get(), endedAfterSync.get(), (now - start) / 1e9, lag.takeWindowMaxMillis());
            }
        }
        while (syncedCount.get() + failedBeforeSync.get() < agents.size() && System.nanoTime() < deadline) {
            Thread.sleep(5);
            long now = System.nanoTime();
            if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = now;
                System.out.printf("  ... %d opened, %d synced, %d failed, %d lost after sync (%.0f s; generator loop lag %d ms)%n",
                        agents.size(), syncedCount.get(), failedBeforeSync.get(), endedAfterSync.get(), (now - start) / 1e9,
                        lag.takeWindowMaxMillis());
            }
        }
        long last = start;
        LongList per = new LongList(cfg.agents);
        for (SimAgent a : snapshotAgents()) {
            if (a.synced) {
                last = Math.max(last, a.syncedNanos);
                per.add(a.syncedNanos - a.openedNanos);
            }
        }
        return new ConnectResult(cfg.agents, syncedCount.get(), cfg.agents - syncedCount.get(), last - start, per.toSortedArray());
    }

    /** The control plane's newest revision (ListNetworks answers with the revision it read at). */
    long headRevision() {
        return NetworkServiceGrpc.newBlockingStub(admin).withDeadlineAfter(30, TimeUnit.SECONDS)
                .listNetworks(ListNetworksRequest.getDefaultInstance()).getRevision();
    }

    /** Waits (bounded) until every live agent holds the control plane's newest revision. */
    boolean settle(int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            long head = headRevision();
            boolean all = true;
            for (SimAgent a : snapshotAgents()) {
                if (!a.ended && a.heldRevision < head) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Makes cfg.changes DNS changes one at a time and times each until every live agent has its Delta. */
    PropagationResult propagate() throws InterruptedException {
        tracker.arm(headRevision());
        List<Change> out = new ArrayList<>();
        LongList all = new LongList(cfg.changes);
        LongList median = new LongList(cfg.changes);
        LongList rpc = new LongList(cfg.changes);
        int incomplete = 0;
        var dns = DnsServiceGrpc.newBlockingStub(admin);
        for (int k = 1; k <= cfg.changes; k++) {
            Thread.sleep(cfg.changeGapMillis);
            int expected = liveAgents();
            long t0 = System.nanoTime();
            AddDnsRecordsResponse resp;
            try {
                resp = dns.withDeadlineAfter(30, TimeUnit.SECONDS).addRecords(AddDnsRecordsRequest.newBuilder()
                        .setName("bench-" + cfg.runId + "-change-" + k)
                        .addIps("100.79." + (k / 250) + "." + (1 + k % 250))
                        .build());
            } catch (StatusRuntimeException e) {
                System.out.printf("  change %d failed: %s%n", k, e.getStatus());
                incomplete++;
                continue;
            }
            long t1 = System.nanoTime();
            long rev = resp.getRevision();
            PropagationTracker.Arrivals arrivals = tracker.of(rev);
            long deadline = t1 + TimeUnit.SECONDS.toNanos(cfg.propagationTimeoutSeconds);
            while (arrivals.count() < Math.min(expected, liveAgents()) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            int target = Math.min(expected, liveAgents());
            int reached = arrivals.count();
            long[] sorted = arrivals.sorted(reached);
            Change c = new Change(rev, t1 - t0, sorted.length > 0 ? sorted[0] - t0 : -1,
                    sorted.length > 0 ? Stats.percentile(sorted, 50) - t0 : -1, sorted.length > 0 ? sorted[sorted.length - 1] - t0 : -1,
                    reached, expected);
            out.add(c);
            if (reached < target) {
                incomplete++;
                System.out.printf("  change %d (revision %d): only %d of %d agents had it after %d s%n", k, rev, reached, target,
                        cfg.propagationTimeoutSeconds);
            } else {
                all.add(c.allNanos());
                median.add(c.medianNanos());
                rpc.add(c.rpcNanos());
            }
            tracker.forgetUpTo(rev);
        }
        return new PropagationResult(out, all.toSortedArray(), median.toSortedArray(), rpc.toSortedArray(), incomplete);
    }

    /** Agents that synced and whose stream is still open. */
    int liveAgents() {
        return syncedCount.get() - endedAfterSync.get();
    }

    /** Protocol checks and traffic totals over all agents. */
    String totals() {
        long deltas = 0, deltaBytes = 0, snapshots = 0, snapshotBytes = 0, outOfOrder = 0, resyncs = 0, hb = 0;
        for (SimAgent a : snapshotAgents()) {
            deltas += a.deltas;
            deltaBytes += a.deltaBytes;
            snapshots += a.snapshots;
            snapshotBytes += a.snapshotBytes;
            outOfOrder += a.outOfOrder;
            resyncs += a.resyncs;
            hb += a.serverHeartbeats;
        }
        return String.format("received %d deltas (%.1f MB), %d snapshots (%.1f MB), %d server heartbeats; "
                + "deltas out of order or duplicated: %d; re-syncs (cut back to a snapshot): %d", deltas, deltaBytes / 1e6, snapshots,
                snapshotBytes / 1e6, hb, outOfOrder, resyncs);
    }

    long outOfOrder() {
        long n = 0;
        for (SimAgent a : snapshotAgents()) {
            n += a.outOfOrder;
        }
        return n;
    }

    int endedAfterSync() {
        return endedAfterSync.get();
    }

    Map<String, Integer> endReasons() {
        Map<String, Integer> m = new TreeMap<>();
        endReasons.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Closes every stream and connection (bounded). */
    void close(int timeoutSeconds) {
        closing = true;
        List<SimAgent> all = snapshotAgents();
        for (SimAgent a : all) {
            a.close();
        }
        for (SimAgent a : all) {
            Channels.shutdown(a.channel());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (SimAgent a : all) {
            Channels.await(a.channel(), deadline);
        }
        adminChannel.shutdownNow();
        Channels.await(adminChannel, deadline);
    }

    private List<SimAgent> snapshotAgents() {
        synchronized (agents) {
            return new ArrayList<>(agents);
        }
    }

    @Override
    public void synced(SimAgent agent) {
        syncedCount.incrementAndGet();
        opening.release();
    }

    @Override
    public void ended(SimAgent agent, boolean wasSynced) {
        if (closing) {
            return;
        }
        var s = agent.endStatus;
        String reason = s == null ? "?" : s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
        if (reason.length() > 120) {
            reason = reason.substring(0, 120);
        }
        endReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        if (wasSynced) {
            int n = endedAfterSync.incrementAndGet();
            if (n <= 5) {
                System.out.printf("  %s: %s stream ended after %.1f s synced: %s%n", java.time.LocalTime.now().withNano(0), agent.hostName,
                        (System.nanoTime() - agent.syncedNanos) / 1e9, reason);
            }
        } else {
            failedBeforeSync.incrementAndGet();
            opening.release();
        }
    }

    @Override
    public void delta(SimAgent agent, long revision, long nanos) {
        tracker.arrived(revision, nanos);
    }
}
