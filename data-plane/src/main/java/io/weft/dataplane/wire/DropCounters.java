package io.weft.dataplane.wire;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drop counters by {@link DropReason}. Several threads drop packets (TAP reader, underlay
 * receiver), so each reason is a {@link LongAdder}: contention-free increments, no lock, no
 * allocation. A metrics registry binds to {@link #get(DropReason)} later.
 */
public final class DropCounters {
    private final LongAdder[] counters = new LongAdder[DropReason.count()];

    public DropCounters() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    public void increment(DropReason reason) {
        counters[reason.ordinal()].increment();
    }

    /** Counts a drop given as an ordinal, the form parse results use. */
    public void increment(int reasonOrdinal) {
        counters[reasonOrdinal].increment();
    }

    public long get(DropReason reason) {
        return counters[reason.ordinal()].sum();
    }

    public long total() {
        long sum = 0;
        for (LongAdder c : counters) {
            sum += c.sum();
        }
        return sum;
    }

    /** Non-zero counters, for status output and test messages (allocates; not for the hot path). */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long v = counters[r.ordinal()].sum();
            if (v != 0) {
                out.put(r, v);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
