package io.weft.dataplane.device;

import io.weft.dataplane.conn.DatagramBatch;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.HeartbeatPayload;
import io.weft.dataplane.wire.PacketType;
import java.util.HashMap;
import java.util.Map;

/**
 * The ticker: probes every peer's direct path once per interval, declares a direct link down after
 * N intervals without an answer (and up again on the next answer), recomputes routes when any
 * link changed — ours or one another host reported — and reports link changes to the listener.
 * Also ages out learned MAC entries. Runs on one thread; it alone writes liveness and routes.
 */
final class Heartbeats {
    private final Device device;
    private final DeviceConfig cfg;
    private final PacketSealer sealer;
    private final NanoClock clock;
    private final Header header = new Header();
    private final DatagramBatch out;
    private final Map<Integer, LinkStatus> lastStatus = new HashMap<>();
    private final Map<Integer, Integer> lastVia = new HashMap<>();
    private long lastMacSweep;

    Heartbeats(Device device, DeviceConfig cfg, PacketSealer sealer, NanoClock clock) {
        this.device = device;
        this.cfg = cfg;
        this.sealer = sealer;
        this.clock = clock;
        this.out = new DatagramBatch(cfg.datagramBatch(), Header.LENGTH + sealer.prefixLength()
                + HeartbeatPayload.LENGTH + sealer.suffixLength());
        this.lastMacSweep = clock.nanoTime();
    }

    void tick() {
        long now = clock.nanoTime();
        long interval = cfg.heartbeatIntervalNanos();
        boolean changed = false;
        for (Peer p : device.peerArray()) {
            if (p.heartbeatSequence == 0 || now - p.lastHeartbeatSentNanos >= interval) {
                probe(p, now);
            }
            long lastAck = p.lastAckNanos;
            boolean up = lastAck != 0 && now - lastAck <= interval * cfg.missedHeartbeats();
            if (up != p.directUp) {
                p.directUp = up;
                if (up) {
                    p.everUp = true;
                }
                changed = true;
            }
        }
        if (!out.isEmpty()) {
            device.send(out);
            out.clear();
        }
        if (device.takeRoutesDirty() || changed) {
            recomputeRoutes();
        }
        if (now - lastMacSweep > cfg.macMaxAgeNanos() / 10) {
            lastMacSweep = now;
            for (NetworkContext n : device.networkList()) {
                n.macs.expire(now, cfg.macMaxAgeNanos());
            }
        }
    }

    private void probe(Peer p, long now) {
        if (p.endpoint == null) {
            return;
        }
        p.lastHeartbeatSentNanos = now;
        p.heartbeatSequence++;
        int s = out.add();
        if (s < 0) {
            device.send(out);
            out.clear();
            s = out.add();
        }
        byte[] d = out.buffer(s);
        header.wrap(d, 0).write(PacketType.HEARTBEAT, device.sealFlags(), 0, 0, device.self(), p.id);
        HeartbeatPayload.write(d, Header.LENGTH + sealer.prefixLength(), p.heartbeatSequence, now);
        int sealed = sealer.seal(p.id, d, 0, HeartbeatPayload.LENGTH);
        if (sealed < 0) {
            out.removeLast();
            device.drops().increment(DropReason.SEAL_FAILED);
            return;
        }
        out.set(s, 0, sealed, p.endpoint);
        device.counters().heartbeatsSent.increment();
    }

    /** Shortest paths over our live direct links plus the links others reported. */
    private void recomputeRoutes() {
        Peer[] all = device.peerArray();
        Map<Integer, int[]> edges = device.reportedAdjacency();
        int up = 0;
        for (Peer p : all) {
            if (p.directUp) {
                up++;
            }
        }
        int[] mine = new int[up];
        int k = 0;
        for (Peer p : all) {
            if (p.directUp) {
                mine[k++] = p.id;
            }
        }
        edges.put(device.self(), mine);
        Map<Integer, Integer> firstHop = RouteTable.compute(device.self(), edges);
        LinkListener listener = device.linkListener();
        for (Peer p : all) {
            Integer hopId = firstHop.get(p.id);
            Peer hop = hopId == null ? null : device.peer(hopId);
            LinkStatus status;
            if (hop == p) {
                status = LinkStatus.ESTABLISHED;
            } else if (hop != null) {
                status = LinkStatus.RELAYED;
            } else if (!p.everUp) {
                status = LinkStatus.CONNECTING;
                hop = p; // never reached yet and nobody relays: keep trying the direct path
            } else {
                status = LinkStatus.DOWN;
            }
            p.nextHop = hop;
            int via = status == LinkStatus.RELAYED ? hop.id : 0;
            if (lastStatus.put(p.id, status) != status | !Integer.valueOf(via).equals(lastVia.put(p.id, via))) {
                try {
                    listener.onLinkChange(p.id, status, via, p.rttMicros());
                } catch (RuntimeException e) {
                    // a listener's failure must not stop routing
                }
            }
        }
        java.util.Set<Integer> present = firstHopKeys(all);
        lastStatus.keySet().retainAll(present);
        lastVia.keySet().retainAll(present);
    }

    private static java.util.Set<Integer> firstHopKeys(Peer[] all) {
        java.util.Set<Integer> s = new java.util.HashSet<>();
        for (Peer p : all) {
            s.add(p.id);
        }
        return s;
    }
}
