package io.weft.dataplane.conn;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simulated underlay joining {@link MemoryTransport}s in one JVM. Deterministic and single
 * threaded: {@link MemoryTransport#send} only queues; {@link #deliverAll} hands queued datagrams to
 * their receivers batch by batch until nothing is left (answers and relays sent while delivering
 * are delivered too). Links can be {@link #cut} to simulate a blocked path; datagrams on a cut
 * link are silently lost, as on a real network.
 */
public final class MemoryNetwork {
    private final Map<InetSocketAddress, MemoryTransport> hosts = new LinkedHashMap<>();
    private final Set<List<InetSocketAddress>> cuts = new HashSet<>();
    private long lost;

    public synchronized MemoryTransport attach(InetSocketAddress address, int batchCapacity, int slotSize, int queueCapacity) {
        MemoryTransport t = new MemoryTransport(this, address, batchCapacity, slotSize, queueCapacity);
        if (hosts.putIfAbsent(address, t) != null) {
            throw new IllegalArgumentException(address + " is already attached");
        }
        return t;
    }

    public MemoryTransport attach(InetSocketAddress address) {
        return attach(address, 64, 2048, 1 << 16);
    }

    synchronized void detach(InetSocketAddress address) {
        hosts.remove(address);
    }

    /** Blocks the path between two hosts, both directions. */
    public synchronized void cut(InetSocketAddress a, InetSocketAddress b) {
        cuts.add(List.of(a, b));
        cuts.add(List.of(b, a));
    }

    public synchronized void heal(InetSocketAddress a, InetSocketAddress b) {
        cuts.remove(List.of(a, b));
        cuts.remove(List.of(b, a));
    }

    /** Datagrams lost on cut links or to unknown addresses. */
    public synchronized long lost() {
        return lost;
    }

    /** Routes one datagram; false when the destination queue is full (back-pressure). */
    synchronized boolean route(InetSocketAddress from, InetSocketAddress to, byte[] data, int off, int len) {
        MemoryTransport dst = hosts.get(to);
        if (dst == null || cuts.contains(List.of(from, to))) {
            lost++;
            return true; // sent, but never arrives
        }
        return dst.enqueue(from, data, off, len);
    }

    /** Delivers until every queue is empty; returns the number of datagrams delivered. */
    public long deliverAll() {
        long total = 0;
        while (true) {
            List<MemoryTransport> snapshot;
            synchronized (this) {
                snapshot = new ArrayList<>(hosts.values());
            }
            long round = 0;
            for (MemoryTransport t : snapshot) {
                round += t.deliverPending();
            }
            if (round == 0) {
                return total;
            }
            total += round;
        }
    }
}
