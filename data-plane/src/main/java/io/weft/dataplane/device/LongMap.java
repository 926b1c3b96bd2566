package io.weft.dataplane.device;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A long-keyed map for the hot path: reads are lock-free and allocation-free (one volatile read of
 * an immutable open-addressing table, no boxing); writes copy the table under a lock and publish
 * the copy. Right for data read per packet and changed rarely (MAC entries, peers). A writer pays
 * O(size) per change, so callers bound the size (see {@link MacTable}).
 */
final class LongMap<V> {
    private static final class Table {
        final long[] keys;
        final Object[] values;
        final int size;
        final int mask;

        Table(int capacity, int size) {
            keys = new long[capacity];
            values = new Object[capacity];
            this.size = size;
            mask = capacity - 1;
        }
    }

    private volatile Table table = new Table(8, 0);

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads sequential MACs and ids
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        Table t = table;
        int i = slot(key, t.mask);
        while (true) {
            Object v = t.values[i];
            if (v == null) {
                return null;
            }
            if (t.keys[i] == key) {
                return (V) v;
            }
            i = (i + 1) & t.mask;
        }
    }

    int size() {
        return table.size;
    }

    /** Inserts or replaces; returns the previous value. */
    synchronized V put(long key, V value) {
        V old = get(key);
        rebuild(key, value, old == null ? 1 : 0, null);
        return old;
    }

    /** Inserts only when absent and the map holds fewer than {@code max} entries; returns the value now mapped, or null. */
    synchronized V putIfAbsent(long key, V value, int max) {
        V old = get(key);
        if (old != null) {
            return old;
        }
        if (table.size >= max) {
            return null;
        }
        rebuild(key, value, 1, null);
        return value;
    }

    synchronized V remove(long key) {
        V old = get(key);
        if (old != null) {
            rebuild(key, null, -1, null);
        }
        return old;
    }

    /** Removes every value matching; returns how many. */
    @SuppressWarnings("unchecked")
    synchronized int removeIf(Predicate<V> doomed) {
        int n = 0;
        for (Object v : table.values) {
            if (v != null && doomed.test((V) v)) {
                n++;
            }
        }
        if (n > 0) {
            rebuild(0, null, -n, doomed);
        }
        return n;
    }

    /** A snapshot of the values (allocates; control paths only). */
    @SuppressWarnings("unchecked")
    List<V> values() {
        Table t = table;
        List<V> out = new ArrayList<>(t.size);
        for (Object v : t.values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    /**
     * Copies the table with one change: key -> value (value null: key removed), and values matching
     * {@code doomed} left out.
     */
    @SuppressWarnings("unchecked")
    private void rebuild(long key, Object value, int delta, Predicate<V> doomed) {
        Table old = table;
        int size = old.size + delta;
        int capacity = 8;
        while (capacity < size * 2 + 2) {
            capacity <<= 1;
        }
        Table t = new Table(capacity, size);
        for (int i = 0; i < old.values.length; i++) {
            Object v = old.values[i];
            if (v == null || (doomed == null && old.keys[i] == key) || (doomed != null && doomed.test((V) v))) {
                continue;
            }
            insert(t, old.keys[i], v);
        }
        if (doomed == null && value != null) {
            insert(t, key, value);
        }
        table = t;
    }

    private static void insert(Table t, long key, Object value) {
        int i = slot(key, t.mask);
        while (t.values[i] != null) {
            i = (i + 1) & t.mask;
        }
        t.keys[i] = key;
        t.values[i] = value;
    }
}
