package io.weft.dataplane.tun;

import io.weft.dataplane.wire.Bytes;

/**
 * Accessors for the virtio_net_hdr the kernel puts in front of every frame on a TAP opened with
 * IFF_VNET_HDR (12 bytes with TUNSETVNETHDRSZ 12; little-endian on x86):
 * {@code flags u8, gso_type u8, hdr_len u16, gso_size u16, csum_start u16, csum_offset u16, num_buffers u16}.
 * On a TAP, csum_start and hdr_len count from the start of the Ethernet header.
 */
public final class VirtioNetHdr {
    public static final int LENGTH = 12;

    public static final int FLAG_NEEDS_CSUM = 1;
    public static final int FLAG_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private VirtioNetHdr() {
    }

    public static int flags(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int gsoType(byte[] b, int off) {
        return b[off + 1] & 0xFF;
    }

    /** Not trusted by the segmenter (the kernel may report it loosely); kept for completeness. */
    public static int hdrLen(byte[] b, int off) {
        return Bytes.u16le(b, off + 2);
    }

    public static int gsoSize(byte[] b, int off) {
        return Bytes.u16le(b, off + 4);
    }

    public static int csumStart(byte[] b, int off) {
        return Bytes.u16le(b, off + 6);
    }

    public static int csumOffset(byte[] b, int off) {
        return Bytes.u16le(b, off + 8);
    }

    public static void write(byte[] b, int off, int flags, int gsoType, int hdrLen, int gsoSize,
                             int csumStart, int csumOffset) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        Bytes.putU16le(b, off + 2, hdrLen);
        Bytes.putU16le(b, off + 4, gsoSize);
        Bytes.putU16le(b, off + 6, csumStart);
        Bytes.putU16le(b, off + 8, csumOffset);
        Bytes.putU16le(b, off + 10, 0);
    }

    /** A header that says "nothing to do": a complete frame with valid checksums. */
    public static void writeNone(byte[] b, int off) {
        write(b, off, 0, GSO_NONE, 0, 0, 0, 0);
    }
}
