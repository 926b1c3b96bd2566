package io.weft.dataplane.wire;

/**
 * Body of {@link PacketType#HEARTBEAT} and {@link PacketType#HEARTBEAT_ACK}: a sequence number
 * and the prober's send time. The answering peer echoes both unchanged, so only the prober ever
 * interprets the time (no clock synchronisation needed) and RTT = now - echoed time.
 */
public final class HeartbeatPayload {
    public static final int LENGTH = 16;

    private HeartbeatPayload() {
    }

    public static void write(byte[] buf, int offset, long sequence, long sentNanos) {
        Bytes.putI64(buf, offset, sequence);
        Bytes.putI64(buf, offset + 8, sentNanos);
    }

    public static long sequence(byte[] buf, int offset) {
        return Bytes.i64(buf, offset);
    }

    public static long sentNanos(byte[] buf, int offset) {
        return Bytes.i64(buf, offset + 8);
    }
}
