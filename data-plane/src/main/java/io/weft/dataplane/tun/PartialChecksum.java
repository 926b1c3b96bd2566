package io.weft.dataplane.tun;

import io.weft.dataplane.wire.Bytes;

/**
 * Frames whose transport checksum is left partial across the tunnel (see {@link TsoSegmenter}):
 * an untagged IPv4 TCP or UDP packet whose checksum field holds only the pseudo-header sum, to be
 * finished where the checksum starts (right after the IPv4 header). Both ends derive the
 * checksum's position from the headers instead of sending it, so a datagram cannot point the
 * receiver at arbitrary offsets; anything that does not have this exact shape is refused.
 */
public final class PartialChecksum {
    private PartialChecksum() {
    }

    /**
     * Offset from the start of the frame where the checksum starts (the transport header), or -1
     * when the frame at {@code f} is not an untagged, unfragmented IPv4 TCP/UDP packet that fits
     * in {@code len} bytes.
     */
    public static int start(byte[] b, int f, int len) {
        if (len < Frames.ETH_HEADER + 20 || Bytes.u16(b, f + 12) != Frames.ETHERTYPE_IPV4) {
            return -1;
        }
        int ip = f + Frames.ETH_HEADER;
        int versionIhl = b[ip] & 0xFF;
        int ipLen = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != 4 || ipLen < 20) {
            return -1;
        }
        int total = Bytes.u16(b, ip + 2);
        int field = fieldOffset(b[ip + 9] & 0xFF);
        if (field < 0 || total > len - Frames.ETH_HEADER || total < ipLen + field + 2
                || (Bytes.u16(b, ip + 6) & 0x3FFF) != 0) {
            return -1;
        }
        return Frames.ETH_HEADER + ipLen;
    }

    /** Offset of the checksum field within the transport header of the IPv4 packet at frame {@code f}. */
    public static int fieldOffset(byte[] b, int f) {
        return fieldOffset(b[f + Frames.ETH_HEADER + 9] & 0xFF);
    }

    private static int fieldOffset(int protocol) {
        if (protocol == Frames.IPPROTO_TCP) {
            return Frames.TCP_CSUM_OFFSET;
        }
        return protocol == Frames.IPPROTO_UDP ? Frames.UDP_CSUM_OFFSET : -1;
    }

    /** Whether a NEEDS_CSUM frame from the kernel has the shape a receiver can finish (see {@link #start}). */
    static boolean isStandard(byte[] b, int f, int len, int csumStart, int csumOffset) {
        int start = start(b, f, len);
        return start >= 0 && start == csumStart && csumOffset == fieldOffset(b, f);
    }

    /**
     * Finishes the checksum in software (for a TAP without a vnet header); false when the frame
     * does not have the shape of a partial frame. Sums up to the IPv4 total length, not the frame's
     * end: Ethernet padding is not part of the packet.
     */
    public static boolean complete(byte[] b, int f, int len) {
        int start = start(b, f, len);
        if (start < 0) {
            return false;
        }
        int ip = f + Frames.ETH_HEADER;
        int end = ip + Bytes.u16(b, ip + 2);
        int field = f + start + fieldOffset(b, f);
        // The field holds the pseudo-header sum, so summing the whole segment includes it once.
        int value = Checksum.finish(Checksum.add(b, f + start, end - f - start, 0));
        // UDP uses 0 for "no checksum": a computed zero goes out as 0xFFFF (RFC 768).
        Bytes.putU16(b, field, value == 0 ? 0xFFFF : value);
        return true;
    }
}
