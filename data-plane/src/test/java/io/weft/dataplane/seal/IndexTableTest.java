package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexTableTest {
    @Test
    void copiesOnWriteAndFindsEveryKey() {
        Random r = new Random(7);
        IndexTable<Integer> t = IndexTable.empty();
        int[] keys = new int[500];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = r.nextInt() | 1;
            t = t.with(keys[i], i);
        }
        IndexTable<Integer> before = t;
        for (int i = 0; i < keys.length; i++) {
            assertEquals(i, t.get(keys[i]));
        }
        for (int i = 0; i < keys.length; i += 2) {
            t = t.without(keys[i]);
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(i % 2 == 0 ? null : Integer.valueOf(i), t.get(keys[i]));
            assertEquals(i, before.get(keys[i]), "older snapshots never change");
        }
        assertEquals(keys.length / 2, t.size());
        assertNull(t.get(0));
        assertSame(t, t.without(2));
    }
}
