package io.weft.dataplane.wire;

/**
 * Flyweight over the fixed 16-byte encapsulation header at the start of every underlay datagram.
 * It holds no data of its own: {@link #wrap} points it at a buffer and offset, so one instance per
 * thread serves every packet (no allocation per packet, as in Aeron's flyweights).
 *
 * <pre>
 *  0       1       2       3       4       5       6       7
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |version| type  | flags |  ttl  | rsvd  |   isolation id (24)   |
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |     source peer id (u32)      |   destination peer id (u32)   |
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * </pre>
 * Big-endian. The isolation id is 0 for control messages (heartbeats, relay wrappers) and
 * 1..2^24-1 for frames. TTL only matters on {@link PacketType#RELAY} wrappers.
 */
public final class Header {
    public static final int LENGTH = 16;
    public static final int VERSION = 1;
    /**
     * On a frame or heartbeat: the payload is AEAD-sealed (session prefix, ciphertext, tag). A host
     * that encrypts never accepts a datagram without it, and a plaintext host never one with it.
     */
    public static final int FLAG_SEALED = 0x01;
    /**
     * On a frame: its transport checksum is partial (pseudo-header sum only) and the receiver must
     * have it finished (NEEDS_CSUM on its TAP, or in software). See tun/TsoSegmenter.
     */
    public static final int FLAG_CSUM_PARTIAL = 0x02;
    /** Flags this version defines; any other set bit is rejected so they can be given meaning later. */
    public static final int KNOWN_FLAGS = FLAG_SEALED | FLAG_CSUM_PARTIAL;
    public static final int MAX_ISOLATION_ID = 0xFFFFFF;
    /** {@link #validate} result for a well-formed header; anything else is a {@link DropReason} ordinal. */
    public static final int OK = -1;

    private static final int VERSION_OFFSET = 0;
    private static final int TYPE_OFFSET = 1;
    private static final int FLAGS_OFFSET = 2;
    private static final int TTL_OFFSET = 3;
    private static final int NETWORK_WORD_OFFSET = 4;
    private static final int SOURCE_OFFSET = 8;
    private static final int DESTINATION_OFFSET = 12;

    private byte[] buffer;
    private int offset;

    public Header wrap(byte[] buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /**
     * Checks a datagram of {@code length} bytes at {@code offset}. Never throws for any input: garbage
     * yields a reason, so a receive loop can count it and move on.
     *
     * @return {@link #OK} or the ordinal of the {@link DropReason}
     */
    public static int validate(byte[] buf, int offset, int length) {
        if (length < LENGTH || offset < 0 || offset + length > buf.length) {
            return DropReason.TRUNCATED.ordinal();
        }
        if ((buf[offset + VERSION_OFFSET] & 0xFF) != VERSION) {
            return DropReason.BAD_VERSION.ordinal();
        }
        int type = buf[offset + TYPE_OFFSET] & 0xFF;
        if (type == 0 || type > PacketType.MAX_KNOWN) {
            return DropReason.BAD_TYPE.ordinal();
        }
        int flags = buf[offset + FLAGS_OFFSET] & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0 || (flags & ~allowedFlags(type)) != 0) {
            return DropReason.BAD_FLAGS.ordinal();
        }
        int word = Bytes.i32(buf, offset + NETWORK_WORD_OFFSET);
        if ((word >>> 24) != 0) {
            return DropReason.BAD_RESERVED.ordinal();
        }
        int isolationId = word & MAX_ISOLATION_ID;
        int payload = length - LENGTH;
        switch (type) {
            case PacketType.FRAME:
                return isolationId == 0 ? DropReason.BAD_NETWORK_ID.ordinal() : OK;
            case PacketType.HEARTBEAT:
            case PacketType.HEARTBEAT_ACK:
                if (isolationId != 0) {
                    return DropReason.BAD_NETWORK_ID.ordinal();
                }
                return payload < HeartbeatPayload.LENGTH ? DropReason.TRUNCATED.ordinal() : OK;
            case PacketType.RELAY:
                if (isolationId != 0) {
                    return DropReason.BAD_NETWORK_ID.ordinal();
                }
                return payload < LENGTH ? DropReason.TRUNCATED.ordinal() : OK;
            case PacketType.KEEPALIVE:
                return isolationId != 0 ? DropReason.BAD_NETWORK_ID.ordinal() : OK;
            case PacketType.HANDSHAKE_INIT:
            case PacketType.HANDSHAKE_RESPONSE:
                if (isolationId != 0) {
                    return DropReason.BAD_NETWORK_ID.ordinal();
                }
                return payload == 0 ? DropReason.TRUNCATED.ordinal() : OK; // the session layer checks its own lengths
            default:
                return DropReason.BAD_TYPE.ordinal();
        }
    }

    /** Flags a type may carry: frames may be sealed and checksum-partial, heartbeats and keepalives sealed, the rest nothing. */
    private static int allowedFlags(int type) {
        switch (type) {
            case PacketType.FRAME:
                return FLAG_SEALED | FLAG_CSUM_PARTIAL;
            case PacketType.HEARTBEAT:
            case PacketType.HEARTBEAT_ACK:
            case PacketType.KEEPALIVE:
                return FLAG_SEALED;
            default:
                return 0;
        }
    }

    /** Writes a complete header in one go (the usual way to build one). */
    public Header write(int type, int flags, int ttl, int isolationId, int sourcePeer, int destinationPeer) {
        byte[] b = buffer;
        int o = offset;
        b[o + VERSION_OFFSET] = (byte) VERSION;
        b[o + TYPE_OFFSET] = (byte) type;
        b[o + FLAGS_OFFSET] = (byte) flags;
        b[o + TTL_OFFSET] = (byte) ttl;
        Bytes.putI32(b, o + NETWORK_WORD_OFFSET, isolationId & MAX_ISOLATION_ID);
        Bytes.putI32(b, o + SOURCE_OFFSET, sourcePeer);
        Bytes.putI32(b, o + DESTINATION_OFFSET, destinationPeer);
        return this;
    }

    public int version() {
        return buffer[offset + VERSION_OFFSET] & 0xFF;
    }

    public int type() {
        return buffer[offset + TYPE_OFFSET] & 0xFF;
    }

    public int flags() {
        return buffer[offset + FLAGS_OFFSET] & 0xFF;
    }

    public int ttl() {
        return buffer[offset + TTL_OFFSET] & 0xFF;
    }

    public Header ttl(int ttl) {
        buffer[offset + TTL_OFFSET] = (byte) ttl;
        return this;
    }

    public int isolationId() {
        return Bytes.i32(buffer, offset + NETWORK_WORD_OFFSET) & MAX_ISOLATION_ID;
    }

    /** Peer ids are uint32 on the wire; Java carries them in an int (compare with ==, never with <). */
    public int sourcePeer() {
        return Bytes.i32(buffer, offset + SOURCE_OFFSET);
    }

    public int destinationPeer() {
        return Bytes.i32(buffer, offset + DESTINATION_OFFSET);
    }

    public Header destinationPeer(int peer) {
        Bytes.putI32(buffer, offset + DESTINATION_OFFSET, peer);
        return this;
    }
}
