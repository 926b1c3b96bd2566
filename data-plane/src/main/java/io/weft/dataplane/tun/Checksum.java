package io.weft.dataplane.tun;

import io.weft.dataplane.wire.Bytes;

/**
 * The Internet checksum (RFC 1071), fast: big-endian 64-bit loads, each split into two 32-bit
 * halves added to a 64-bit accumulator (no carry handling inside the loop: 2^32 additions could
 * not overflow it, a frame is at most 2^16 bytes), folded to 16 bits once at the end. Summing
 * 32-bit words then folding gives the same result as summing 16-bit words (RFC 1071, 2(B)).
 *
 * <p>Partial sums compose: {@code add(b, o, n1, add(b, o+n1, n2, 0))} equals {@code add(b, o, n1+n2, 0)}
 * as long as n1 is even, which is how the pseudo-header, headers and payload are combined.
 */
public final class Checksum {
    private Checksum() {
    }

    /** Adds {@code len} bytes at {@code off} to the running sum {@code acc}. */
    public static long add(byte[] b, int off, int len, long acc) {
        long sum = acc;
        int i = off;
        int end = off + len;
        if (end - i >= 32) {
            // Bulk: native-order (little-endian) loads, no byte swap per load. The ones'-complement
            // sum is byte-order independent (RFC 1071, 2(B)): the 16-bit sum of the byte-swapped
            // words is the byte-swapped sum, so fold the bulk sum and swap it back once.
            // Four 8-byte words per iteration: independent adds the CPU can overlap.
            long le = 0;
            while (end - i >= 32) {
                long a = Bytes.i64le(b, i);
                long c = Bytes.i64le(b, i + 8);
                long d = Bytes.i64le(b, i + 16);
                long e = Bytes.i64le(b, i + 24);
                le += (a >>> 32) + (a & 0xFFFFFFFFL) + (c >>> 32) + (c & 0xFFFFFFFFL)
                        + (d >>> 32) + (d & 0xFFFFFFFFL) + (e >>> 32) + (e & 0xFFFFFFFFL);
                i += 32;
            }
            int f = fold(le);
            sum += ((f & 0xFF) << 8) | (f >>> 8);
        }
        while (end - i >= 8) {
            long a = Bytes.i64(b, i);
            sum += (a >>> 32) + (a & 0xFFFFFFFFL);
            i += 8;
        }
        if (end - i >= 4) {
            sum += Bytes.i32(b, i) & 0xFFFFFFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += Bytes.u16(b, i);
            i += 2;
        }
        if (i < end) {
            sum += (b[i] & 0xFF) << 8; // odd trailing byte is padded with a zero byte
        }
        return sum;
    }

    /** Folds a 64-bit running sum to its 16-bit ones'-complement sum (not inverted). */
    public static int fold(long sum) {
        long s = (sum & 0xFFFFFFFFL) + (sum >>> 32);
        s = (s & 0xFFFFFFFFL) + (s >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /** The value to store in a checksum field: the inverted folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Checksum of a byte range, ready to store. */
    public static int compute(byte[] b, int off, int len) {
        return finish(add(b, off, len, 0));
    }

    /**
     * Sum of the IPv4 pseudo-header (source, destination, protocol, transport length) for the
     * IPv4 header at {@code ipOff}.
     */
    public static long pseudoHeaderV4(byte[] b, int ipOff, int protocol, int transportLength) {
        long sum = add(b, ipOff + 12, 8, 0);
        return sum + protocol + transportLength;
    }

    /** Recomputes the header checksum of the IPv4 header at {@code ipOff} in place. */
    public static void fixIpv4Header(byte[] b, int ipOff, int ipHeaderLength) {
        Bytes.putU16(b, ipOff + 10, 0);
        Bytes.putU16(b, ipOff + 10, compute(b, ipOff, ipHeaderLength));
    }

    /** True when the IPv4 header at {@code ipOff} carries a correct checksum. */
    public static boolean ipv4HeaderValid(byte[] b, int ipOff, int ipHeaderLength) {
        return fold(add(b, ipOff, ipHeaderLength, 0)) == 0xFFFF;
    }
}
