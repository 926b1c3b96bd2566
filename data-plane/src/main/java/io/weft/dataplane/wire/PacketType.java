package io.weft.dataplane.wire;

/**
 * Message types carried in byte 1 of the {@link Header}. Plain int constants, not an enum,
 * so the hot path can switch on the byte without a lookup or boxing.
 */
public final class PacketType {
    /** An Ethernet frame of one network, sealed end to end between source and destination peer. */
    public static final int FRAME = 1;
    /** Liveness probe on the direct path; the payload is a {@link HeartbeatPayload}. */
    public static final int HEARTBEAT = 2;
    /** Answer to a heartbeat, echoing its payload so the prober measures RTT. */
    public static final int HEARTBEAT_ACK = 3;
    /**
     * Hop-by-hop wrapper around a complete inner datagram (header + sealed payload) that a relay
     * forwards towards the destination peer. The wrapper exists so the inner datagram, whose
     * header is authenticated end to end, is never modified in transit: only the outer TTL is.
     */
    public static final int RELAY = 4;
    /** First message of the key exchange (initiator to responder); body defined in seal/. */
    public static final int HANDSHAKE_INIT = 5;
    /** Second message of the key exchange (responder to initiator), or its authenticated refusal. */
    public static final int HANDSHAKE_RESPONSE = 6;

    /**
     * A sealed datagram with nothing inside: confirms a new session to its responder (who seals
     * with a session only once the initiator has used it) and keeps the path warm. Routed like a
     * frame, so it may go through a relay.
     */
    public static final int KEEPALIVE = 7;

    /** Highest type this version understands. */
    static final int MAX_KNOWN = KEEPALIVE;

    /** Key-exchange messages: handed whole to the session layer, never to a TAP. */
    public static boolean isHandshake(int type) {
        return type == HANDSHAKE_INIT || type == HANDSHAKE_RESPONSE;
    }

    private PacketType() {
    }

    public static String name(int type) {
        switch (type) {
            case FRAME: return "frame";
            case HEARTBEAT: return "heartbeat";
            case HEARTBEAT_ACK: return "heartbeat-ack";
            case RELAY: return "relay";
            case HANDSHAKE_INIT: return "handshake-init";
            case HANDSHAKE_RESPONSE: return "handshake-response";
            case KEEPALIVE: return "keepalive";
            default: return "unknown(" + type + ")";
        }
    }
}
