package io.weft.dataplane.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Next hops from link states. Nodes are peer ids; an edge a -> b means a's heartbeats to b are
 * answered (our own links from local liveness, other hosts' links as they reported them to the
 * control plane). The route to each destination is a shortest path in hops, so the direct link
 * wins whenever it is up; among equally short paths the first hop with the lowest peer id wins
 * (unsigned order), so every host computes the same answer from the same input.
 *
 * <p>Breadth-first, layer by layer: every node of a layer gets the smallest first hop among its
 * predecessors before the next layer is expanded. Runs on the ticker thread on a change only;
 * allocation here is fine.
 */
public final class RouteTable {
    private RouteTable() {
    }

    /**
     * @param self our peer id
     * @param edges adjacency: peer id -> peers it has a live link to (including ours from self)
     * @return destination -> first hop (destinations with no path are absent)
     */
    public static Map<Integer, Integer> compute(int self, Map<Integer, int[]> edges) {
        Map<Integer, Integer> firstHop = new HashMap<>();
        List<Integer> layer = new ArrayList<>();
        int[] direct = sorted(edges.get(self));
        for (int n : direct) {
            if (n != self && !firstHop.containsKey(n)) {
                firstHop.put(n, n);
                layer.add(n);
            }
        }
        while (!layer.isEmpty()) {
            Map<Integer, Integer> next = new HashMap<>();
            for (int u : layer) {
                int fh = firstHop.get(u);
                for (int v : sorted(edges.get(u))) {
                    if (v == self || firstHop.containsKey(v)) {
                        continue;
                    }
                    Integer best = next.get(v);
                    if (best == null || Integer.compareUnsigned(fh, best) < 0) {
                        next.put(v, fh);
                    }
                }
            }
            firstHop.putAll(next);
            layer = new ArrayList<>(next.keySet());
        }
        return firstHop;
    }

    private static int[] sorted(int[] a) {
        if (a == null) {
            return new int[0];
        }
        int[] c = a.clone();
        // Unsigned order so ids above 2^31 sort as the control plane sees them.
        for (int i = 0; i < c.length; i++) {
            c[i] ^= Integer.MIN_VALUE;
        }
        Arrays.sort(c);
        for (int i = 0; i < c.length; i++) {
            c[i] ^= Integer.MIN_VALUE;
        }
        return c;
    }
}
