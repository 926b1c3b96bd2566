package io.weft.bench;

import java.util.Arrays;

/** A growable array of longs (latencies in nanoseconds), single-writer. */
final class LongList {
    private long[] values;
    private int size;

    LongList(int capacity) {
        values = new long[Math.max(16, capacity)];
    }

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = v;
    }

    void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    long[] toSortedArray() {
        long[] out = Arrays.copyOf(values, size);
        Arrays.sort(out);
        return out;
    }
}
