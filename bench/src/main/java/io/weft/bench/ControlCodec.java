package io.weft.bench;

import java.io.IOException;
import java.io.InputStream;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.AgentServiceGrpc;
import io.weft.api.v1.Welcome;

/**
 * Response marshaller for AgentService/Watch that reads only the top-level kind of each
 * ControlMessage and the revision field (number 1) of Snapshot, Delta, Synced and Heartbeat. A
 * real agent parses everything; the generator must not spend the CPU it shares with the control
 * plane on that. The wire format is the generated one (see agent.proto).
 */
final class ControlCodec implements MethodDescriptor.Marshaller<ControlFrame> {
    static final ControlCodec INSTANCE = new ControlCodec();
    /** Field 1, wire type varint. */
    private static final int REVISION_TAG = (1 << 3) | WireFormat.WIRETYPE_VARINT;

    /** The generated Watch method with this marshaller for responses. */
    static final MethodDescriptor<AgentMessage, ControlFrame> WATCH = AgentServiceGrpc.getWatchMethod()
            .toBuilder(AgentServiceGrpc.getWatchMethod().getRequestMarshaller(), INSTANCE).build();

    @Override
    public InputStream stream(ControlFrame value) {
        throw new UnsupportedOperationException("the generator never sends ControlMessages");
    }

    @Override
    public ControlFrame parse(InputStream stream) {
        try {
            // A small buffer: all but Welcome are read only up to their revision (the default 4 KiB
            // buffer per message was a tenth of the generator's CPU).
            CodedInputStream in = CodedInputStream.newInstance(stream, 64);
            int tag = in.readTag();
            if (tag == 0 || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                return new ControlFrame(ControlFrame.Kind.OTHER, 0, 0, null);
            }
            int field = WireFormat.getTagFieldNumber(tag);
            int len = in.readRawVarint32();
            return switch (field) {
                case 1 -> new ControlFrame(ControlFrame.Kind.WELCOME, 0, len, Welcome.parseFrom(in.readRawBytes(len)));
                case 2 -> new ControlFrame(ControlFrame.Kind.SNAPSHOT, revision(in, len), len, null);
                case 3 -> new ControlFrame(ControlFrame.Kind.DELTA, revision(in, len), len, null);
                case 4 -> new ControlFrame(ControlFrame.Kind.SYNCED, revision(in, len), len, null);
                case 5 -> new ControlFrame(ControlFrame.Kind.HEARTBEAT, revision(in, len), len, null);
                default -> new ControlFrame(ControlFrame.Kind.OTHER, 0, len, null);
            };
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot decode ControlMessage: " + e.getMessage()).withCause(e).asRuntimeException();
        }
    }

    /**
     * Field 1 (int64 revision) of the embedded message of {@code len} bytes. Protobuf writes fields
     * in number order, so it is normally the first; anything before it is skipped. The rest of the
     * message is left unread (gRPC releases the buffer).
     */
    private static long revision(CodedInputStream in, int len) throws IOException {
        int limit = in.pushLimit(len);
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return 0;
                }
                if (tag == REVISION_TAG) {
                    return in.readInt64();
                }
                if (!in.skipField(tag)) {
                    return 0;
                }
            }
        } finally {
            in.popLimit(limit);
        }
    }
}
