package io.weft.dataplane.device;

import io.weft.dataplane.conn.DatagramBatch;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;

/**
 * Turns a frame written into a datagram slot into a sendable datagram for one destination peer:
 * encapsulation header, sealing, and — when the route goes through a relay — the relay wrapper.
 *
 * <p>Slot layout: {@code [relay wrapper 16][header 16][sealer prefix][frame][sealer suffix]}. The
 * frame is always written at {@link #payloadOffset()}, so wrapping for a relay costs no copy:
 * the wrapper goes into the headroom in front, or the headroom is skipped for a direct send.
 * One instance per thread (it holds a header flyweight).
 */
final class Encapsulator {
    static final int HEADROOM = Header.LENGTH;

    private final Header header = new Header();
    private final int self;
    private final PacketSealer sealer;
    private final int sealFlags;
    private final int relayTtl;
    private final DropCounters drops;
    private final DeviceCounters counters;

    Encapsulator(int self, PacketSealer sealer, int sealFlags, int relayTtl, DropCounters drops, DeviceCounters counters) {
        this.self = self;
        this.sealer = sealer;
        this.sealFlags = sealFlags;
        this.relayTtl = relayTtl;
        this.drops = drops;
        this.counters = counters;
    }

    /**
     * Whether every byte of a frame must be in the slot to be sealed (encryption); false for
     * plaintext, whose payload may stay where it is as a datagram tail.
     */
    boolean sealsInPlaceOnly() {
        return sealer.prefixLength() != 0 || sealer.suffixLength() != 0 || sealFlags != 0;
    }

    int payloadOffset() {
        return HEADROOM + Header.LENGTH + sealer.prefixLength();
    }

    /** Room the sealer needs around a payload: what a slot must hold besides the frame. */
    int overhead() {
        return payloadOffset() + sealer.suffixLength();
    }

    /**
     * Completes slot {@code s} of {@code out}, whose frame of {@code frameLength} bytes is in place;
     * {@code flags} are the header's frame flags (e.g. {@link Header#FLAG_CSUM_PARTIAL}).
     * Returns false (and counts why) when it cannot be sent; the caller then gives the slot back.
     */
    boolean finishFrame(DatagramBatch out, int s, int isolationId, Peer dst, int frameLength, int flags) {
        return finishFrame(out, s, isolationId, dst, frameLength, flags, null, 0, 0);
    }

    /**
     * As above, for a plaintext frame whose last {@code tailLength} bytes stay in direct memory
     * ({@code tail} at {@code tailOffset}, see {@link DatagramBatch#setTail}) while the slot holds
     * the first {@code frameLength}. Only when {@link #sealsInPlaceOnly()} is false: sealing needs
     * every byte in the slot.
     */
    boolean finishFrame(DatagramBatch out, int s, int isolationId, Peer dst, int frameLength, int flags,
                        java.nio.ByteBuffer tail, int tailOffset, int tailLength) {
        Peer hop = dst.nextHop;
        if (hop == null || hop.endpoint == null) {
            drops.increment(DropReason.NO_ROUTE);
            return false;
        }
        byte[] buf = out.buffer(s);
        header.wrap(buf, HEADROOM).write(PacketType.FRAME, flags | sealFlags, 0, isolationId, self, dst.id);
        int sealed = sealer.seal(dst.id, buf, HEADROOM, frameLength);
        if (sealed < 0) {
            drops.increment(DropReason.SEAL_FAILED);
            return false;
        }
        if (tail != null) {
            out.setTail(s, tail, tailOffset, tailLength);
        }
        if (hop == dst) {
            out.set(s, HEADROOM, sealed, dst.endpoint);
        } else {
            // Relay wrapper: the relay reads only this outer header and forwards the inner datagram untouched.
            header.wrap(buf, 0).write(PacketType.RELAY, 0, relayTtl, 0, self, dst.id);
            out.set(s, 0, Header.LENGTH + sealed, hop.endpoint);
            counters.relayedOut.increment();
        }
        dst.framesOut.increment();
        dst.bytesOut.add(frameLength + tailLength);
        return true;
    }
}
