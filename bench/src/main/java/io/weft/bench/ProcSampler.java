package io.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and resident memory of the control plane and of this generator, from /proc, so the
 * report can say where the two cores went in each phase. Linux only; figures are 0 elsewhere.
 */
final class ProcSampler {
    /** clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux x86). */
    private static final double HZ = 100.0;

    /** CPU seconds consumed so far by both processes and by the machine, at one instant. */
    record Cpu(long wallNanos, double cpSeconds, double genSeconds, double machineBusySeconds, double machineSeconds) {
        /** "what each used between then and this", as a line for the report. */
        String since(Cpu then) {
            double wall = (wallNanos - then.wallNanos) / 1e9;
            double cp = cpSeconds - then.cpSeconds;
            double gen = genSeconds - then.genSeconds;
            double busy = machineBusySeconds - then.machineBusySeconds;
            double all = machineSeconds - then.machineSeconds;
            double other = Math.max(0, busy - cp - gen);
            return String.format("wall %.1f s; control plane %.1f CPU-s (%.2f cores), generator %.1f CPU-s (%.2f cores), "
                    + "everything else %.2f cores; machine busy %.0f%%", wall, cp, wall > 0 ? cp / wall : 0, gen, wall > 0 ? gen / wall : 0,
                    wall > 0 ? other / wall : 0, all > 0 ? 100 * busy / all : 0);
        }

        double cpCores(Cpu then) {
            double wall = (wallNanos - then.wallNanos) / 1e9;
            return wall > 0 ? (cpSeconds - then.cpSeconds) / wall : 0;
        }

        /** Cores used by processes other than these two (another build on the machine skews the figures). */
        double otherCores(Cpu then) {
            double wall = (wallNanos - then.wallNanos) / 1e9;
            double other = (machineBusySeconds - then.machineBusySeconds) - (cpSeconds - then.cpSeconds) - (genSeconds - then.genSeconds);
            return wall > 0 ? Math.max(0, other) / wall : 0;
        }

        double genCores(Cpu then) {
            double wall = (wallNanos - then.wallNanos) / 1e9;
            return wall > 0 ? (genSeconds - then.genSeconds) / wall : 0;
        }
    }

    private final long cpPid;
    private volatile long cpPeakRssKb;
    private volatile long genPeakRssKb;

    ProcSampler(long cpPid, ScheduledExecutorService scheduler) {
        this.cpPid = cpPid;
        scheduler.scheduleAtFixedRate(this::sampleRss, 0, 500, TimeUnit.MILLISECONDS);
    }

    Cpu cpu() {
        double[] machine = machineSeconds();
        return new Cpu(System.nanoTime(), cpPid > 0 ? processSeconds(Long.toString(cpPid)) : 0, processSeconds("self"), machine[0], machine[1]);
    }

    /**
     * Waits (at most maxSeconds) until processes other than these two have used less than
     * {@code cores} for three seconds in a row: other work on a shared machine skews short phases.
     * Returns how long it waited, seconds, or -1 when the machine never became quiet.
     */
    int awaitQuiet(int maxSeconds, double cores) throws InterruptedException {
        int quiet = 0;
        for (int waited = 0; waited < maxSeconds; waited++) {
            Cpu before = cpu();
            Thread.sleep(1000);
            if (cpu().otherCores(before) < cores) {
                if (++quiet >= 3) {
                    return waited + 1;
                }
            } else {
                quiet = 0;
            }
        }
        return -1;
    }

    long cpPeakRssMb() {
        return cpPeakRssKb / 1024;
    }

    long genPeakRssMb() {
        return genPeakRssKb / 1024;
    }

    long cpRssMbNow() {
        return cpPid > 0 ? rssKb(Long.toString(cpPid)) / 1024 : 0;
    }

    private void sampleRss() {
        if (cpPid > 0) {
            cpPeakRssKb = Math.max(cpPeakRssKb, rssKb(Long.toString(cpPid)));
        }
        genPeakRssKb = Math.max(genPeakRssKb, rssKb("self"));
    }

    private static long rssKb(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    /** utime + stime of a process, seconds. */
    private static double processSeconds(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state); utime is field 14, stime field 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {busy, total} seconds of all CPUs, from the first line of /proc/stat. */
    private static double[] machineSeconds() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new double[] {(total - idle) / HZ, total / HZ};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }
}
