package io.weft.dataplane.device;

import io.weft.dataplane.conn.DatagramBatch;
import io.weft.dataplane.conn.Transport;
import io.weft.dataplane.seal.PacketOpener;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.tun.GroCoalescer;
import io.weft.dataplane.tun.PartialChecksum;
import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.HeartbeatPayload;
import io.weft.dataplane.wire.PacketType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Datagrams from the underlay, to where they belong:
 * <ul>
 *   <li>frames: checked (known sender, addressed to us, opened by the sealer, a network we have,
 *       a sender that is a member of it) and written only into the TAP of the network whose
 *       isolation id they carry — never flooded on, never into another network;</li>
 *   <li>heartbeats: answered; answers: recorded as liveness and RTT;</li>
 *   <li>relay wrappers: unwrapped when addressed to us, otherwise forwarded one hop closer with the
 *       TTL decremented (dropped at 0).</li>
 * </ul>
 * Anything malformed is counted under its reason and the loop goes on: no exception escapes for
 * any input. Runs on the transport's receive thread; its batches, flyweights and coalescer state
 * are reused for every datagram.
 */
final class UnderlayPath implements Transport.Receiver {
    private static final long MAX_PLAUSIBLE_RTT = 60_000_000_000L;

    private final Device device;
    private final int self;
    private final PacketOpener opener;
    private final PacketSealer sealer;
    private final HandshakeHandler handshakes;
    private final boolean encrypted;
    private final int sealFlags;
    private final DropCounters drops;
    private final DeviceCounters counters;
    private final NanoClock clock;
    private final Header header = new Header();
    private final Header inner = new Header();
    private final DatagramBatch out;
    /** This thread's own sender: relayed datagrams are bulk traffic (no event-loop task per send). */
    private final Transport.Sender sender;
    private final List<NetworkContext> pendingTaps = new ArrayList<>();

    UnderlayPath(Device device, DeviceConfig cfg, Sealing sealing, NanoClock clock) {
        this.device = device;
        this.self = device.self();
        this.sealer = sealing.sealer();
        this.opener = sealing.opener();
        this.handshakes = sealing.handshakes();
        this.encrypted = sealing.encrypted();
        this.sealFlags = device.sealFlags();
        this.drops = device.drops();
        this.counters = device.counters();
        this.clock = clock;
        this.out = new DatagramBatch(cfg.datagramBatch(), cfg.datagramSlot());
        this.sender = device.newSender(out.capacity(), out.slotSize());
    }

    @Override
    public void onBatch(DatagramBatch in) {
        long now = clock.nanoTime();
        int n = in.count();
        counters.datagramsReceived.add(n);
        for (int i = 0; i < n; i++) {
            try {
                handle(in.buffer(i), in.offset(i), in.length(i), in.endpoint(i), now);
            } catch (RuntimeException e) {
                // Defence in depth: the parsers are meant never to throw, but one bad datagram must
                // not take the batch (or the event loop) down with it.
                drops.increment(DropReason.TRUNCATED);
            }
        }
        flushTaps();
        if (!out.isEmpty()) {
            device.send(sender, out);
            out.clear();
        }
    }

    private void handle(byte[] buf, int off, int len, InetSocketAddress from, long now) {
        int r = Header.validate(buf, off, len);
        if (r != Header.OK) {
            drops.increment(r);
            return;
        }
        header.wrap(buf, off);
        int src = header.sourcePeer();
        if (src == self) {
            drops.increment(DropReason.FROM_SELF);
            return;
        }
        Peer peer = device.peer(src);
        if (peer == null) {
            drops.increment(DropReason.UNKNOWN_PEER);
            return;
        }
        int type = header.type();
        int dst = header.destinationPeer();
        if (type == PacketType.RELAY) {
            if (dst == self) {
                unwrap(peer, buf, off, len, from, now);
            } else {
                relay(buf, off, len, dst);
            }
            return;
        }
        if (dst != self) {
            drops.increment(DropReason.MISDIRECTED);
            return;
        }
        if (PacketType.isHandshake(type)) {
            handshake(peer, buf, off, len, from, now);
            return;
        }
        if (!sealingAgrees(peer, header.flags(), now)) {
            return;
        }
        int plain = opener.open(src, buf, off, len);
        if (plain < 0) {
            drops.increment(DropReason.OPEN_FAILED);
            return;
        }
        int body = off + Header.LENGTH + opener.prefixLength();
        switch (type) {
            case PacketType.FRAME:
                deliver(peer, header.isolationId(), buf, body, plain, header.flags(), now);
                break;
            case PacketType.HEARTBEAT:
                if (plain < HeartbeatPayload.LENGTH) {
                    drops.increment(DropReason.TRUNCATED);
                } else {
                    answerHeartbeat(peer, buf, body, from);
                }
                break;
            case PacketType.HEARTBEAT_ACK:
                if (plain < HeartbeatPayload.LENGTH) {
                    drops.increment(DropReason.TRUNCATED);
                } else {
                    recordAck(peer, buf, body, now);
                }
                break;
            case PacketType.KEEPALIVE:
                break; // opening it was the point: the session is confirmed
            default:
                drops.increment(DropReason.BAD_TYPE);
        }
    }

    /** A key-exchange message: to the session layer, or refused by a plaintext host. */
    private void handshake(Peer peer, byte[] buf, int off, int len, InetSocketAddress from, long now) {
        if (!encrypted) {
            mismatch(peer, true, now);
            return;
        }
        handshakes.onHandshake(peer.id, buf, off, len, from);
    }

    /**
     * An encrypting host takes only sealed datagrams, a plaintext host only unsealed ones; the
     * other kind is dropped and the peer remembered, so status can say why the connection fails.
     */
    private boolean sealingAgrees(Peer peer, int flags, long now) {
        boolean sealed = (flags & Header.FLAG_SEALED) != 0;
        if (sealed == encrypted) {
            return true;
        }
        mismatch(peer, sealed, now);
        return false;
    }

    private void mismatch(Peer peer, boolean peerEncrypts, long now) {
        drops.increment(DropReason.ENCRYPTION_MISMATCH);
        peer.mismatchPeerEncrypts = peerEncrypts;
        peer.mismatchNanos = now == 0 ? 1 : now;
    }

    /**
     * A relay wrapper for us: the inner datagram must be a frame or a handshake from the same
     * origin, to us.
     */
    private void unwrap(Peer origin, byte[] buf, int off, int len, InetSocketAddress from, long now) {
        int io = off + Header.LENGTH;
        int il = len - Header.LENGTH;
        int r = Header.validate(buf, io, il);
        if (r != Header.OK) {
            drops.increment(r);
            return;
        }
        inner.wrap(buf, io);
        int innerType = inner.type();
        boolean hs = PacketType.isHandshake(innerType);
        if ((innerType != PacketType.FRAME && innerType != PacketType.KEEPALIVE && !hs)
                || inner.sourcePeer() != origin.id || inner.destinationPeer() != self) {
            drops.increment(DropReason.BAD_RELAY);
            return;
        }
        if (hs) {
            handshake(origin, buf, io, il, from, now);
            return;
        }
        if (!sealingAgrees(origin, inner.flags(), now)) {
            return;
        }
        int plain = opener.open(origin.id, buf, io, il);
        if (plain < 0) {
            drops.increment(DropReason.OPEN_FAILED);
            return;
        }
        if (innerType == PacketType.KEEPALIVE) {
            return; // opening it was the point: the session is confirmed
        }
        deliver(origin, inner.isolationId(), buf, io + Header.LENGTH + opener.prefixLength(), plain, inner.flags(), now);
    }

    /** Forwards a wrapper one hop towards its destination. Relays never look inside. */
    private void relay(byte[] buf, int off, int len, int dst) {
        int ttl = header.ttl();
        if (ttl <= 1) {
            drops.increment(DropReason.TTL_EXCEEDED);
            return;
        }
        Peer target = device.peer(dst);
        Peer hop = target == null ? null : target.nextHop;
        if (hop == null || hop.endpoint == null) {
            drops.increment(DropReason.NO_ROUTE);
            return;
        }
        if (len > out.slotSize()) {
            drops.increment(DropReason.OVERSIZE_FRAME);
            return;
        }
        int s = claimOut();
        byte[] d = out.buffer(s);
        System.arraycopy(buf, off, d, 0, len);
        header.wrap(d, 0).ttl(ttl - 1);
        out.set(s, 0, len, hop.endpoint);
        counters.relayedThrough.increment();
    }

    private void deliver(Peer from, int isolationId, byte[] buf, int frame, int frameLen, int flags, long now) {
        NetworkContext net = device.network(isolationId);
        if (net == null) {
            drops.increment(DropReason.UNKNOWN_NETWORK);
            return;
        }
        if (!net.isMember(from.id)) {
            drops.increment(DropReason.NOT_MEMBER);
            return;
        }
        if (frameLen < 14) {
            drops.increment(DropReason.RUNT_FRAME);
            return;
        }
        boolean partial = (flags & Header.FLAG_CSUM_PARTIAL) != 0;
        if (partial && !net.tap.vnetHeader() && !PartialChecksum.complete(buf, frame, frameLen)) {
            drops.increment(DropReason.BAD_PARTIAL_CSUM);
            return;
        }
        long srcMac = Bytes.mac(buf, frame + 6);
        if (!MacTable.isGroup(srcMac)) {
            net.macs.learn(srcMac, from.id, now);
        }
        if (!net.pending) {
            net.pending = true;
            pendingTaps.add(net);
            if (net.tap.vnetHeader()) {
                net.gro.begin(net.tapOut);
            } else {
                net.tapOut.clear();
            }
        }
        if (net.tap.vnetHeader()) {
            int r = net.gro.add(buf, frame, frameLen, partial);
            if (r == GroCoalescer.FULL) {
                writeTap(net);
                net.gro.begin(net.tapOut);
                r = net.gro.add(buf, frame, frameLen, partial);
            }
            if (r == GroCoalescer.TOO_BIG) {
                drops.increment(DropReason.OVERSIZE_FRAME);
                return;
            }
            if (r == GroCoalescer.MALFORMED) {
                drops.increment(DropReason.BAD_PARTIAL_CSUM);
                return;
            }
            if (net.gro.allClosed()) {
                // A sender's super-frame ends with a short or pushed segment: hand it to the
                // container now rather than after the whole receive burst, so its ACK starts back
                // while the next super-frame is opened (a shorter round trip, a steadier flow).
                writeTap(net);
                net.gro.begin(net.tapOut);
            }
        } else if (!net.tapOut.add(buf, frame, frameLen)) {
            if (frameLen > net.tapOut.slotSize()) {
                drops.increment(DropReason.OVERSIZE_FRAME);
                return;
            }
            writeTap(net);
            net.tapOut.clear();
            net.tapOut.add(buf, frame, frameLen);
        }
        from.framesIn.increment();
        from.bytesIn.add(frameLen);
    }

    private void answerHeartbeat(Peer peer, byte[] buf, int body, InetSocketAddress from) {
        int s = claimOut();
        byte[] d = out.buffer(s);
        inner.wrap(d, 0).write(PacketType.HEARTBEAT_ACK, sealFlags, 0, 0, self, peer.id);
        System.arraycopy(buf, body, d, Header.LENGTH + sealer.prefixLength(), HeartbeatPayload.LENGTH);
        int sealed = sealer.seal(peer.id, d, 0, HeartbeatPayload.LENGTH);
        if (sealed < 0) {
            out.removeLast();
            drops.increment(DropReason.SEAL_FAILED);
            return;
        }
        // Answer where the probe came from: that is the path being measured.
        out.set(s, 0, sealed, from);
    }

    private void recordAck(Peer peer, byte[] buf, int body, long now) {
        long rtt = now - HeartbeatPayload.sentNanos(buf, body);
        if (rtt < 0 || rtt > MAX_PLAUSIBLE_RTT) {
            return; // not an echo of ours (or from before a restart): ignore rather than trust it
        }
        long old = peer.rttNanos;
        peer.rttNanos = old == 0 ? rtt : old - (old >> 3) + (rtt >> 3); // EWMA, 1/8 like TCP's SRTT
        peer.lastAckNanos = now;
        counters.heartbeatAcks.increment();
    }

    private int claimOut() {
        int s = out.add();
        if (s < 0) {
            device.send(sender, out);
            out.clear();
            s = out.add();
        }
        return s;
    }

    private void writeTap(NetworkContext net) {
        if (net.tap.vnetHeader()) {
            net.gro.finish();
        }
        int n = net.tapOut.count();
        if (n == 0) {
            return;
        }
        try {
            int refused = net.tap.write(net.tapOut);
            for (int i = 0; i < refused; i++) {
                drops.increment(DropReason.TAP_WRITE_FAILED);
            }
            counters.framesToTap.add(n - refused);
        } catch (Exception e) {
            for (int i = 0; i < n; i++) {
                drops.increment(DropReason.TAP_WRITE_FAILED);
            }
        }
        net.tapOut.clear();
    }

    private void flushTaps() {
        for (int i = 0; i < pendingTaps.size(); i++) {
            NetworkContext net = pendingTaps.get(i);
            writeTap(net);
            net.pending = false;
        }
        pendingTaps.clear();
    }
}
