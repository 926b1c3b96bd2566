package io.weft.dataplane.seal;

/**
 * Immutable int-keyed open-addressing table, replaced as a whole on change (copy on write): the
 * data path reads it without locks, boxing or allocation; writers (handshakes, membership changes:
 * rare) rebuild it under the manager's lock. Key 0 is reserved for empty slots.
 */
final class IndexTable<T> {
    private static final IndexTable<?> EMPTY = new IndexTable<>(new int[8], new Object[8], 0);

    private final int[] keys;
    private final Object[] values;
    private int size;

    private IndexTable(int[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <T> IndexTable<T> empty() {
        return (IndexTable<T>) EMPTY;
    }

    @SuppressWarnings("unchecked")
    T get(int key) {
        if (key == 0) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return (T) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    int size() {
        return size;
    }

    IndexTable<T> with(int key, T value) {
        if (key == 0 || value == null) {
            throw new IllegalArgumentException("key 0 and null values are reserved");
        }
        IndexTable<T> t = rebuild(key, (size + 1) * 2);
        t.put(key, value);
        return t;
    }

    IndexTable<T> without(int key) {
        if (get(key) == null) {
            return this;
        }
        return rebuild(key, size * 2);
    }

    /** Copy without {@code skip}, sized for {@code room} entries at most half full. */
    private IndexTable<T> rebuild(int skip, int room) {
        int capacity = 8;
        while (capacity < room) {
            capacity <<= 1;
        }
        IndexTable<T> t = new IndexTable<>(new int[capacity], new Object[capacity], 0);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && keys[i] != skip) {
                t.put(keys[i], values[i]);
            }
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    void forEach(java.util.function.Consumer<T> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((T) values[i]);
            }
        }
    }

    private void put(int key, Object value) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
