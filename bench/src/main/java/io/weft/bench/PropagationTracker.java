package io.weft.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records, for each revision above a baseline, when each agent received its Delta. Agents call
 * {@link #arrived} from their event loops; the bench reads a revision's arrivals once all live
 * agents have reported it.
 */
final class PropagationTracker {
    static final class Arrivals {
        private final long[] nanos;
        private final AtomicInteger claimed = new AtomicInteger();
        /** Incremented after the slot is written, so a reader that sees done == n sees n values. */
        private final AtomicInteger done = new AtomicInteger();

        Arrivals(int capacity) {
            nanos = new long[capacity];
        }

        void add(long t) {
            int i = claimed.getAndIncrement();
            if (i < nanos.length) {
                nanos[i] = t;
            }
            done.incrementAndGet();
        }

        int count() {
            return done.get();
        }

        /** A sorted copy of the first {@code n} arrival times. */
        long[] sorted(int n) {
            long[] out = java.util.Arrays.copyOf(nanos, Math.min(n, Math.min(count(), nanos.length)));
            java.util.Arrays.sort(out);
            return out;
        }
    }

    private final int capacity;
    private final ConcurrentHashMap<Long, Arrivals> byRevision = new ConcurrentHashMap<>();
    private volatile long baseline = Long.MAX_VALUE;

    PropagationTracker(int capacity) {
        this.capacity = capacity;
    }

    /** Starts recording revisions above {@code revision}. */
    void arm(long revision) {
        baseline = revision;
    }

    void arrived(long revision, long nanos) {
        if (revision <= baseline) {
            return;
        }
        byRevision.computeIfAbsent(revision, r -> new Arrivals(capacity)).add(nanos);
    }

    Arrivals of(long revision) {
        return byRevision.computeIfAbsent(revision, r -> new Arrivals(capacity));
    }

    /** Drops what was recorded for {@code revision} and everything before it. */
    void forgetUpTo(long revision) {
        byRevision.keySet().removeIf(r -> r <= revision);
    }
}
