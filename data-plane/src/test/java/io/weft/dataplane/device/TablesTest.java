package io.weft.dataplane.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void longMapBehavesLikeAMap() {
        LongMap<String> m = new LongMap<>();
        Map<Long, String> ref = new HashMap<>();
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 5000; i++) {
            long k = rnd.nextInt(300) * 0x1_0000_0001L; // collide-prone keys
            if (rnd.nextInt(3) == 0) {
                assertEquals(ref.remove(k), m.remove(k));
            } else {
                assertEquals(ref.put(k, "v" + i), m.put(k, "v" + i));
            }
            assertEquals(ref.size(), m.size());
        }
        for (Map.Entry<Long, String> e : ref.entrySet()) {
            assertEquals(e.getValue(), m.get(e.getKey()));
        }
        assertNull(m.get(-1L));
        assertNull(m.putIfAbsent(-1L, "x", m.size()), "bounded insert refused at the limit");
        int removed = m.removeIf(v -> v.endsWith("7"));
        assertEquals(removed, ref.size() - m.size());
    }

    @Test
    void macTableLearnsAgesAndPrefersStatic() {
        MacTable t = new MacTable(3);
        long a = 0x020000000001L;
        long b = 0x020000000002L;
        assertEquals(MacTable.NONE, t.lookup(a));
        t.learn(a, 7, 0);
        assertEquals(7, t.lookup(a));
        t.learn(a, 8, 10);
        assertEquals(8, t.lookup(a), "a moved MAC follows at once");
        t.putStatic(b, 5);
        t.learn(b, 9, 0);
        assertEquals(5, t.lookup(b), "static entries are never overridden by learning");
        t.learn(0x020000000003L, 1, 0);
        t.learn(0x020000000004L, 1, 0);
        assertEquals(3, t.size(), "bounded");
        assertEquals(1, t.refusedLearns());
        t.learn(a, 8, 5_000_000_000L); // refresh
        assertEquals(1, t.expire(6_000_000_000L, 3_000_000_000L), "only the stale learned entry ages out");
        assertEquals(8, t.lookup(a));
        assertEquals(5, t.lookup(b));
        assertEquals(1, t.forgetPeer(8));
        assertEquals(MacTable.NONE, t.lookup(a));
        t.removeStatic(b);
        assertEquals(MacTable.NONE, t.lookup(b));
        assertTrue(MacTable.isGroup(0xFFFFFFFFFFFFL));
        assertTrue(MacTable.isGroup(0x01005E000001L), "IPv4 multicast");
        assertFalse(MacTable.isGroup(a));
    }

    @Test
    void routesPreferDirectThenShortestWithLowestFirstHop() {
        Map<Integer, int[]> e = new HashMap<>();
        e.put(1, new int[] {2, 4});
        e.put(2, new int[] {1, 3});
        e.put(4, new int[] {1, 3, 5});
        e.put(3, new int[] {2, 4, 5});
        e.put(5, new int[] {6});
        Map<Integer, Integer> r = RouteTable.compute(1, e);
        assertEquals(2, r.get(2));
        assertEquals(4, r.get(4));
        assertEquals(2, r.get(3), "3 via 2 or 4: tie broken by the lower id");
        assertEquals(4, r.get(5), "5 only through 4 in two hops");
        assertEquals(4, r.get(6), "multi-hop");
        assertFalse(r.containsKey(1));

        e.put(1, new int[] {2, 4, 3});
        assertEquals(3, RouteTable.compute(1, e).get(3), "direct wins when up");

        Map<Integer, int[]> asym = new HashMap<>();
        asym.put(1, new int[] {2});
        asym.put(3, new int[] {2}); // 3 reaches 2, but 2 does not report reaching 3
        assertNull(RouteTable.compute(1, asym).get(3), "links are directed: relays need their own live link");

        Map<Integer, int[]> big = new HashMap<>();
        big.put(1, new int[] {0x8000_0001, 0x7FFF_FFFF});
        big.put(0x8000_0001, new int[] {9});
        big.put(0x7FFF_FFFF, new int[] {9});
        assertEquals(0x7FFF_FFFF, RouteTable.compute(1, big).get(9), "unsigned order for large ids");
    }
}
