package io.weft.dataplane.seal;

/**
 * The seam where encryption (issue 4) plugs into the data path, between the device (which builds
 * datagrams) and the transport (which sends them). Sealing happens in place, in the datagram's own
 * buffer, so no copy and no allocation: the device writes the encapsulation header at {@code off},
 * leaves {@link #prefixLength()} bytes after it (e.g. a counter nonce), writes the plaintext
 * after those, and leaves {@link #suffixLength()} bytes of room at the end (e.g. an AEAD tag).
 * An AEAD implementation authenticates the header as associated data.
 * Implementations must be safe to call from several threads (one session per peer, a counter
 * taken atomically).
 */
public interface PacketSealer {
    int prefixLength();

    int suffixLength();

    /**
     * Seals a datagram for {@code peerId}: header at {@code buf[off]}, {@code plaintextLength}
     * bytes of plaintext after the header and the prefix.
     *
     * @return the total datagram length (header + prefix + ciphertext + suffix), or -1 when it
     *     cannot be sealed (no session with that peer yet)
     */
    int seal(int peerId, byte[] buf, int off, int plaintextLength);
}
