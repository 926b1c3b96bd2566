package io.weft.controlplane.watch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Delta;

/**
 * A ControlMessage serialised once. Deltas and snapshots go to every watcher; encoding them per
 * watcher would cost CPU proportional to watchers x size, so the watch method's response
 * marshaller writes these bytes as they are. On the wire nothing differs from a ControlMessage.
 */
public final class Encoded {
    /** ControlMessage field 3 (delta), wire type 2 (length-delimited). */
    private static final int DELTA_TAG = (3 << 3) | 2;

    public final byte[] bytes;
    /** Revision the agent holds after applying this message (0 for messages that carry none). */
    public final long revision;
    /** When the change was committed (wall clock, ms), for the push-latency histogram; 0 if n/a. */
    public final long committedAtMillis;

    private Encoded(byte[] bytes, long revision, long committedAtMillis) {
        this.bytes = bytes;
        this.revision = revision;
        this.committedAtMillis = committedAtMillis;
    }

    public static Encoded of(ControlMessage message, long revision) {
        return new Encoded(message.toByteArray(), revision, 0);
    }

    /**
     * Wraps a serialised Delta (as stored in the change log) into ControlMessage{delta} without
     * parsing it: a tag, a varint length, then the payload.
     */
    public static Encoded delta(long revision, byte[] deltaPayload, long committedAtMillis) {
        int len = deltaPayload.length;
        int varintSize = varintSize(len);
        byte[] out = new byte[1 + varintSize + len];
        out[0] = (byte) DELTA_TAG;
        int pos = 1;
        int v = len;
        while ((v & ~0x7f) != 0) {
            out[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        System.arraycopy(deltaPayload, 0, out, pos, len);
        return new Encoded(out, revision, committedAtMillis);
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** For tests and diagnostics. */
    public ControlMessage decode() throws IOException {
        return ControlMessage.parseFrom(bytes);
    }

    static Delta parseDelta(byte[] payload) throws IOException {
        return Delta.parseFrom(payload);
    }

    /** Writes Encoded bytes as they are; parsing is only needed by clients, which use the stubs. */
    public static final MethodDescriptor.Marshaller<Encoded> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Encoded value) {
            return new KnownLengthStream(value.bytes);
        }

        @Override
        public Encoded parse(InputStream stream) {
            try {
                return of(ControlMessage.parseFrom(stream), 0);
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed ControlMessage", e);
            }
        }
    };

    /**
     * KnownLength lets the transport size the frame without buffering; Drainable lets it copy the
     * bytes straight into its own buffer (Vert.x's gRPC bridge requires it of known-length streams).
     */
    private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength, Drainable {
        KnownLengthStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
