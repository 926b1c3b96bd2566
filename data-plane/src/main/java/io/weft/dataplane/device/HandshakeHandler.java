package io.weft.dataplane.device;

import java.net.InetSocketAddress;

/**
 * Where the receive path hands key-exchange datagrams (PacketType.HANDSHAKE_*): the session layer.
 * Called on the transport's receive thread for every such datagram, so it must not block or do
 * expensive work there (queue it; the buffer is reused after the call returns: copy what you keep).
 */
public interface HandshakeHandler {
    /**
     * A handshake datagram of {@code len} bytes at {@code buf[off]}, header included, that claims to
     * come from peer {@code fromPeer} (a known peer, addressed to us), received from {@code from}
     * (the relay's address when it came through one).
     */
    void onHandshake(int fromPeer, byte[] buf, int off, int len, InetSocketAddress from);
}
