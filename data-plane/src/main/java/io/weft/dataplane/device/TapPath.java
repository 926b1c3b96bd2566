package io.weft.dataplane.device;

import io.weft.dataplane.conn.DatagramBatch;
import io.weft.dataplane.conn.Transport;
import io.weft.dataplane.tun.FrameBatch;
import io.weft.dataplane.tun.TsoSegmenter;
import io.weft.dataplane.tun.VirtioNetHdr;
import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import java.nio.ByteBuffer;

/**
 * Frames read from one network's TAP, to the underlay. For each frame: split super-frames into
 * MTU-sized segments (or finish a pending checksum), look up the owner of the destination MAC and
 * send each segment there; broadcast, multicast and unknown destinations go to every other host
 * of the network, once each, straight from here (receivers never forward them again, so there
 * are no loops and no storms). Segments are written straight into datagram slots, sealed in
 * place and sent a batch at a time.
 *
 * <p>Zero copy for plaintext: the TAP reader reads into direct memory ({@link FrameBatch#direct});
 * a super-frame's segments are built as headers in the datagram slots plus a tail pointing at
 * their payload where the TAP put it, and the sender gathers both (iovecs) — the payload is
 * copied only by the kernel. Sealed datagrams need the payload in the slot: it is copied there
 * once, straight from the direct memory, and sealed in place.
 *
 * <p>Owned by the TAP reading thread: its batch, segmenter, encapsulator and sender are
 * reused for every frame; nothing is allocated per frame. The sender sends from this thread (on the
 * real transport: sendmmsg + UDP GSO on the underlay socket), so there is no hand-off per batch.
 */
final class TapPath {
    static final int TAP_BATCH = 192;

    private final Device device;
    private final NetworkContext net;
    private final DatagramBatch out;
    private final Transport.Sender sender;
    // Partial checksums: neither end spends a pass over every byte on a checksum nobody on a
    // virtual path needs (see TsoSegmenter).
    private final TsoSegmenter segmenter = new TsoSegmenter(true);
    private final Encapsulator encap;
    private final boolean sealsInPlace;
    private final DropCounters drops;
    private final DeviceCounters counters;

    TapPath(Device device, NetworkContext net, DeviceConfig cfg) {
        this.device = device;
        this.net = net;
        // Room for a few 64 KiB super-frames (~47 segments each) per send: one sendmmsg for them all.
        this.out = new DatagramBatch(Math.max(cfg.datagramBatch(), TAP_BATCH), cfg.datagramSlot());
        this.sender = device.newSender(out.capacity(), out.slotSize());
        this.encap = device.newEncapsulator();
        this.sealsInPlace = encap.sealsInPlaceOnly();
        this.drops = device.drops();
        this.counters = device.counters();
    }

    void process(FrameBatch in) {
        boolean vnet = net.tap.vnetHeader();
        ByteBuffer direct = in.direct();
        for (int i = 0; i < in.count(); i++) {
            counters.framesFromTap.increment();
            if (in.partial(i)) {
                processFrame(in.buffer(i), in.length(i), vnet, direct, in.directOffset(i));
            } else {
                processFrame(in.buffer(i), in.length(i), vnet, null, 0);
            }
        }
        flush();
    }

    private void processFrame(byte[] buf, int len, boolean vnet, ByteBuffer direct, int directOff) {
        int frame = vnet ? VirtioNetHdr.LENGTH : 0;
        int segments;
        int maxLen;
        if (!vnet && direct != null) {
            // A jumbo frame from a TAP without offloads: rare, so take it whole into the heap.
            if (whole.length < len) {
                whole = new byte[len];
            }
            direct.get(directOff, whole, 0, len);
            buf = whole;
        }
        if (vnet) {
            segments = segmenter.prepare(buf, 0, len, direct, directOff);
            if (segments < 0) {
                drops.increment(TsoSegmenter.reason(segments));
                return;
            }
            maxLen = segmenter.maxSegmentLength();
        } else {
            if (len < 14) {
                drops.increment(DropReason.RUNT_FRAME);
                return;
            }
            segments = 1;
            maxLen = len;
        }
        if (maxLen + encap.overhead() > out.slotSize()) {
            drops.increment(DropReason.OVERSIZE_FRAME);
            return;
        }
        lastSegment = segments - 1;
        frameFlags = vnet && segmenter.partialChecksum() ? Header.FLAG_CSUM_PARTIAL : 0;
        // Plaintext super-frames: payload goes from the TAP's read buffer to the socket untouched.
        tail = vnet && !sealsInPlace && segmenter.payloadStaysDirect() ? direct : null;
        long dstMac = Bytes.mac(buf, frame);
        if (!MacTable.isGroup(dstMac)) {
            int owner = net.macs.lookup(dstMac);
            Peer p = owner == MacTable.NONE ? null : device.peer(owner);
            if (p != null) {
                for (int s = 0; s < segments; s++) {
                    emit(buf, len, vnet, s, p);
                }
                return;
            }
        }
        flood(buf, len, vnet, segments);
    }

    /** One copy to each other host of the network. */
    private void flood(byte[] buf, int len, boolean vnet, int segments) {
        counters.floodedFrames.increment();
        int[] members = net.members;
        if (members != null) {
            for (int id : members) {
                Peer p = device.peer(id);
                if (p != null) {
                    for (int s = 0; s < segments; s++) {
                        emit(buf, len, vnet, s, p);
                    }
                }
            }
            return;
        }
        Peer[] all = device.peerArray();
        for (Peer p : all) {
            for (int s = 0; s < segments; s++) {
                emit(buf, len, vnet, s, p);
            }
        }
    }

    private int lastSegment;
    private int frameFlags;
    /** The direct buffer the current frame's segment payloads stay in, or null when they are copied. */
    private ByteBuffer tail;
    private byte[] whole = new byte[0];

    private void emit(byte[] buf, int len, boolean vnet, int segment, Peer dst) {
        int slot = out.add();
        if (slot < 0) {
            flush();
            slot = out.add();
        }
        byte[] d = out.buffer(slot);
        int at = encap.payloadOffset();
        int frameLen;
        boolean finished;
        if (tail != null) {
            frameLen = segmenter.segmentHeaders(segment, d, at);
            finished = encap.finishFrame(out, slot, net.isolationId, dst, frameLen, frameFlags,
                    tail, segmenter.payloadOffset(segment), segmenter.payloadLength(segment));
        } else {
            if (vnet) {
                frameLen = segmenter.segment(segment, d, at);
            } else {
                System.arraycopy(buf, 0, d, at, len);
                frameLen = len;
            }
            finished = encap.finishFrame(out, slot, net.isolationId, dst, frameLen, frameFlags);
        }
        if (!finished) {
            out.removeLast();
        } else if (segment == lastSegment) {
            out.endRun(slot); // one super-frame per GSO send: one GRO read, one TAP write over there
        }
    }

    private void flush() {
        if (out.isEmpty()) {
            return;
        }
        device.send(sender, out);
        out.clear();
    }
}
