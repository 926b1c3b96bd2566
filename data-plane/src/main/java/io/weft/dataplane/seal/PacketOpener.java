package io.weft.dataplane.seal;

/**
 * Receiving half of the sealing seam (see {@link PacketSealer}): verifies and decrypts a datagram
 * in place. Replay checks live here too (issue 4), per peer.
 */
public interface PacketOpener {
    /** Bytes between the header and the plaintext once opened. */
    int prefixLength();

    /**
     * Opens the datagram of {@code length} bytes at {@code buf[off]} (header first) that claims to come
     * from {@code peerId}.
     *
     * @return the plaintext length (the plaintext starts after the header and the prefix), or -1 to
     *     drop it (forged, corrupted, replayed, plaintext where encryption is required)
     */
    int open(int peerId, byte[] buf, int off, int length);
}
