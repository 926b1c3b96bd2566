package io.weft.dataplane.seal;

import io.weft.dataplane.wire.Bytes;

/**
 * The 12-byte TAI64N timestamp of handshake initiations (as in WireGuard): 8 bytes of seconds
 * offset by 2^62, 4 bytes of nanoseconds, big-endian, so byte order equals time order. A responder
 * accepts an initiation from a peer only if its timestamp is newer than the last one accepted from
 * that peer, which makes a captured initiation useless to replay. (Leap seconds are ignored: only
 * the order matters.)
 */
final class Tai64n {
    static final int LENGTH = 12;
    private static final long EPOCH_OFFSET = 1L << 62;

    private Tai64n() {
    }

    static void write(long epochNanos, byte[] out, int off) {
        Bytes.putI64(out, off, EPOCH_OFFSET + Math.floorDiv(epochNanos, 1_000_000_000L));
        Bytes.putI32(out, off + 8, (int) Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** Back to epoch nanoseconds; Long.MIN_VALUE for an encoding no writer produces. */
    static long read(byte[] in, int off) {
        long seconds = Bytes.i64(in, off) - EPOCH_OFFSET;
        int nanos = Bytes.i32(in, off + 8);
        if (nanos < 0 || nanos >= 1_000_000_000 || seconds < 0 || seconds > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + nanos;
    }
}
