package io.weft.dataplane.seal;

/**
 * How the sealing layer's handshake datagrams leave the host; implemented by the device, which
 * knows each peer's endpoint (direct or through a relay). Called from the handshake worker thread
 * only.
 */
public interface HandshakeTransport {
    /**
     * Sends one complete datagram ({@link io.weft.dataplane.wire.Header} first) to {@code peerId}.
     * The buffer is not reused by the caller; an unknown or unreachable peer is simply not sent to.
     */
    void send(int peerId, byte[] datagram, int offset, int length);

    /**
     * A new session with {@code peerId} is ready on this side (we initiated it). The responder starts
     * sealing with it once it has received one datagram sealed with it, so sending something soon
     * (a heartbeat) saves the responder a round trip of drops on a first handshake.
     */
    default void sessionEstablished(int peerId) {
    }
}
