package io.weft.dataplane.device;

import io.weft.dataplane.seal.PacketOpener;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.seal.Plaintext;

/**
 * How this host protects its datagrams: the sealing seam's two halves, where key-exchange messages
 * go, and whether datagrams are encrypted at all. An encrypting host marks what it sends
 * ({@code Header.FLAG_SEALED}) and refuses anything unmarked; a plaintext host (only when
 * explicitly configured, for trusted networks) refuses anything marked and every handshake — and
 * both remember which peer disagreed, so status can say why a connection is refused.
 */
public record Sealing(PacketSealer sealer, PacketOpener opener, HandshakeHandler handshakes, boolean encrypted) {
    public Sealing {
        if (encrypted && handshakes == null) {
            throw new IllegalArgumentException("an encrypting host needs a handshake handler");
        }
    }

    /** No encryption: for trusted networks when configured, and for tests of the forwarding core. */
    public static Sealing plaintext() {
        return new Sealing(Plaintext.INSTANCE, Plaintext.INSTANCE, null, false);
    }
}
