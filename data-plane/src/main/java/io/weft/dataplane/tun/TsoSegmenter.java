package io.weft.dataplane.tun;

import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.DropReason;
import java.nio.ByteBuffer;

/**
 * Turns one frame read from a TAP with IFF_VNET_HDR into wire-ready Ethernet frames.
 *
 * <p>With TSO on, the kernel hands over TCP "super-frames" of up to 64 KiB (gso_type TCPV4,
 * NEEDS_CSUM) instead of MTU-sized ones: one read instead of ~45. They must be cut into MTU-sized
 * segments before they cross the underlay, exactly as a NIC would: copy the headers, fix the
 * IPv4 id, total length and header checksum, advance the TCP sequence number, keep FIN/PSH only on
 * the last segment (CWR only on the first), and compute each segment's full TCP checksum.
 * A non-GSO frame with NEEDS_CSUM gets its checksum completed. {@code hdr_len} is not trusted:
 * the header length is recomputed from the IP and TCP headers.
 *
 * <p>Partial checksums (the default for the data path): a checksum is a pass over every byte, and
 * on a virtual path nobody needs it computed. So, like virtio between a guest and its host, the
 * segments of untagged IPv4 TCP super-frames (and non-GSO TCP/UDP frames the kernel handed over
 * with NEEDS_CSUM) leave with only the pseudo-header sum in their checksum field
 * ({@link #partialChecksum()} says so); the encapsulation header carries that fact, and the
 * receiver hands the frame to its TAP with NEEDS_CSUM (see {@link GroCoalescer}), where the kernel
 * treats it like any locally generated packet. Integrity on the way is the underlay's UDP
 * checksum (plaintext) or the AEAD tag (sealed). With partial checksums off (tests, a peer without
 * a vnet header), every segment gets its full checksum as a NIC would compute it.
 *
 * <p>Two-step flyweight, one per thread: {@link #prepare} parses and validates, then
 * {@link #segment} writes segment i straight into the caller's output buffer (e.g. a datagram
 * slot behind the encapsulation header), so there is one copy per byte and no allocation.
 */
public final class TsoSegmenter {
    private final boolean partialChecksums;
    private boolean partial;
    private byte[] src;
    /** Where the whole frame is when {@link #src} holds only its headers (else null). */
    private ByteBuffer srcDirect;
    private int directFrame;  // offset of the Ethernet header in srcDirect
    private byte[] scratch = new byte[0];
    private int frame;        // offset of the Ethernet header in src
    private int frameLen;
    private boolean gso;
    private int l2Len;
    private int ipLen;
    private int hdrLen;       // Ethernet + IPv4 + TCP headers
    private int payloadLen;
    private int gsoSize;
    private int segments;
    private int seq0;
    private int id0;

    /** Full checksums on every segment. */
    public TsoSegmenter() {
        this(false);
    }

    /** @param partialChecksums leave checksums partial where the frame allows it (see class comment) */
    public TsoSegmenter(boolean partialChecksums) {
        this.partialChecksums = partialChecksums;
    }

    /**
     * Whether the prepared frame's segments carry a partial checksum (pseudo-header sum only) of an
     * untagged IPv4 TCP or UDP packet, to be finished by whoever delivers it.
     */
    public boolean partialChecksum() {
        return partial;
    }

    /** Encodes a drop reason as the negative result of {@link #prepare}. */
    static int fail(DropReason reason) {
        return -(reason.ordinal() + 1);
    }

    /** Decodes a negative {@link #prepare} result. */
    public static DropReason reason(int result) {
        return DropReason.of(-result - 1);
    }

    /**
     * Parses the frame at {@code off} (starting with its virtio_net_hdr), {@code len} bytes in all.
     * May complete a pending checksum in place.
     *
     * @return the number of segments (>= 1), or a negative value for {@link #reason(int)}
     */
    public int prepare(byte[] buf, int off, int len) {
        return prepare(buf, off, len, null, 0);
    }

    /**
     * As {@link #prepare(byte[], int, int)} for a frame whose bytes are all in {@code direct} at
     * {@code directOff} (virtio_net_hdr first) while {@code head} holds only its first bytes
     * (at least {@link FrameBatch#HEAD}, see {@link FrameBatch#partial}): headers are parsed from
     * the heap copy, payload is taken from direct memory when a segment is written.
     */
    public int prepare(byte[] head, int off, int len, ByteBuffer direct, int directOff) {
        srcDirect = null;
        if (direct != null && VirtioNetHdr.gsoType(head, off) == VirtioNetHdr.GSO_NONE) {
            // Not a super-frame yet longer than the heap copy (jumbo MTU): rare, take it whole.
            if (scratch.length < len) {
                scratch = new byte[len];
            }
            direct.get(directOff, scratch, 0, len);
            head = scratch;
            off = 0;
            direct = null;
        }
        if (direct != null) {
            srcDirect = direct;
            directFrame = directOff + VirtioNetHdr.LENGTH;
        }
        return parse(head, off, len);
    }

    private int parse(byte[] buf, int off, int len) {
        src = buf;
        frame = off + VirtioNetHdr.LENGTH;
        frameLen = len - VirtioNetHdr.LENGTH;
        if (frameLen < Frames.ETH_HEADER) {
            return fail(DropReason.RUNT_FRAME);
        }
        int flags = VirtioNetHdr.flags(buf, off);
        int gsoType = VirtioNetHdr.gsoType(buf, off);
        partial = false;
        if (gsoType == VirtioNetHdr.GSO_NONE) {
            gso = false;
            segments = 1;
            if ((flags & VirtioNetHdr.FLAG_NEEDS_CSUM) != 0) {
                if (partialChecksums && PartialChecksum.isStandard(buf, frame, frameLen,
                        VirtioNetHdr.csumStart(buf, off), VirtioNetHdr.csumOffset(buf, off))) {
                    partial = true; // the field already holds the pseudo-header sum: leave it for the receiver
                    return 1;
                }
                return completeChecksum(buf, off) ? 1 : fail(DropReason.BAD_VNET_HDR);
            }
            return 1;
        }
        if ((gsoType & ~VirtioNetHdr.GSO_ECN) != VirtioNetHdr.GSO_TCPV4) {
            return fail(DropReason.UNSUPPORTED_GSO);
        }
        gso = true;
        l2Len = Frames.ipv4L2Length(buf, frame, frameLen);
        if (l2Len < 0 || frameLen < l2Len + 20) {
            return fail(DropReason.BAD_GSO_PACKET);
        }
        int ip = frame + l2Len;
        int versionIhl = buf[ip] & 0xFF;
        ipLen = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != 4 || ipLen < 20 || (buf[ip + 9] & 0xFF) != Frames.IPPROTO_TCP
                || frameLen < l2Len + ipLen + 20) {
            return fail(DropReason.BAD_GSO_PACKET);
        }
        int tcp = ip + ipLen;
        int tcpLen = ((buf[tcp + 12] & 0xFF) >>> 4) * 4;
        hdrLen = l2Len + ipLen + tcpLen;
        if (tcpLen < 20 || frameLen < hdrLen) {
            return fail(DropReason.BAD_GSO_PACKET);
        }
        if ((flags & VirtioNetHdr.FLAG_NEEDS_CSUM) != 0
                && (VirtioNetHdr.csumStart(buf, off) != l2Len + ipLen
                    || VirtioNetHdr.csumOffset(buf, off) != Frames.TCP_CSUM_OFFSET)) {
            return fail(DropReason.BAD_VNET_HDR);
        }
        gsoSize = VirtioNetHdr.gsoSize(buf, off);
        if (gsoSize == 0) {
            return fail(DropReason.BAD_VNET_HDR);
        }
        if (srcDirect != null && hdrLen + VirtioNetHdr.LENGTH > FrameBatch.HEAD) {
            return fail(DropReason.BAD_GSO_PACKET); // cannot happen: 12 + 18 + 60 + 60 < HEAD
        }
        payloadLen = frameLen - hdrLen;
        segments = payloadLen == 0 ? 1 : (payloadLen + gsoSize - 1) / gsoSize;
        seq0 = Bytes.i32(buf, tcp + 4);
        id0 = Bytes.u16(buf, ip + 4);
        partial = partialChecksums && l2Len == Frames.ETH_HEADER;
        return segments;
    }

    /** Upper bound of {@link #segment}'s result for the prepared frame. */
    public int maxSegmentLength() {
        return gso ? hdrLen + Math.min(gsoSize, Math.max(payloadLen, 0)) : frameLen;
    }

    /**
     * Writes segment {@code i} (0-based, below the count {@link #prepare} returned) as a complete
     * Ethernet frame at {@code out[outOff]}; returns its length.
     */
    public int segment(int i, byte[] out, int outOff) {
        if (!gso) {
            System.arraycopy(src, frame, out, outOff, frameLen);
            return frameLen;
        }
        int start = i * gsoSize;
        int chunk = payloadLength(i);
        if (srcDirect != null) {
            srcDirect.get(directFrame + hdrLen + start, out, outOff + hdrLen, chunk);
        } else {
            System.arraycopy(src, frame + hdrLen + start, out, outOff + hdrLen, chunk);
        }
        writeHeaders(i, start, chunk, out, outOff);
        return hdrLen + chunk;
    }

    /**
     * Whether segments can be written without their payload ({@link #segmentHeaders}): a
     * super-frame in direct memory whose segments get partial checksums, which need no payload.
     */
    public boolean payloadStaysDirect() {
        return gso && partial && srcDirect != null;
    }

    /**
     * Writes only the headers of segment {@code i} at {@code out[outOff]} (see
     * {@link #payloadStaysDirect}); its payload is {@link #payloadLength} bytes at
     * {@link #payloadOffset} of the direct buffer. Returns the header length.
     */
    public int segmentHeaders(int i, byte[] out, int outOff) {
        writeHeaders(i, i * gsoSize, payloadLength(i), out, outOff);
        return hdrLen;
    }

    /** Where segment {@code i}'s payload starts in the direct buffer given to {@link #prepare}. */
    public int payloadOffset(int i) {
        return directFrame + hdrLen + i * gsoSize;
    }

    /** Payload bytes of segment {@code i} of a super-frame. */
    public int payloadLength(int i) {
        return Math.max(0, Math.min(gsoSize, payloadLen - i * gsoSize));
    }

    /** The headers of segment {@code i} (payload {@code chunk} bytes from {@code start}), checksum included. */
    private void writeHeaders(int i, int start, int chunk, byte[] out, int outOff) {
        System.arraycopy(src, frame, out, outOff, hdrLen);
        int ip = outOff + l2Len;
        int tcp = ip + ipLen;
        int tcpSegLen = hdrLen - l2Len - ipLen + chunk;
        Bytes.putU16(out, ip + 2, ipLen + tcpSegLen);
        Bytes.putU16(out, ip + 4, (id0 + i) & 0xFFFF);
        Checksum.fixIpv4Header(out, ip, ipLen);

        Bytes.putI32(out, tcp + 4, seq0 + start);
        int tcpFlags = out[tcp + 13] & 0xFF;
        if (i != segments - 1) {
            tcpFlags &= ~(Frames.TCP_FIN | Frames.TCP_PSH);
        }
        if (i != 0) {
            tcpFlags &= ~Frames.TCP_CWR;
        }
        out[tcp + 13] = (byte) tcpFlags;
        long sum = Checksum.pseudoHeaderV4(out, ip, Frames.IPPROTO_TCP, tcpSegLen);
        if (partial) {
            Bytes.putU16(out, tcp + Frames.TCP_CSUM_OFFSET, Checksum.fold(sum));
        } else {
            Bytes.putU16(out, tcp + Frames.TCP_CSUM_OFFSET, 0);
            Bytes.putU16(out, tcp + Frames.TCP_CSUM_OFFSET, Checksum.finish(Checksum.add(out, tcp, tcpSegLen, sum)));
        }
    }

    /**
     * NEEDS_CSUM on a whole frame: the field at csum_start + csum_offset already holds the
     * pseudo-header sum, so summing from csum_start to the end and inverting completes it.
     */
    private boolean completeChecksum(byte[] buf, int off) {
        int start = VirtioNetHdr.csumStart(buf, off);
        int field = start + VirtioNetHdr.csumOffset(buf, off);
        if (start >= frameLen || field + 2 > frameLen) {
            return false;
        }
        int s = frame + start;
        int value = Checksum.finish(Checksum.add(buf, s, frameLen - start, 0));
        // UDP uses 0 to mean "no checksum": send a computed zero as 0xFFFF, its ones'-complement
        // equal (RFC 768); for TCP both verify alike.
        Bytes.putU16(buf, frame + field, value == 0 ? 0xFFFF : value);
        return true;
    }
}
