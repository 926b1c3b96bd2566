package io.weft.dataplane.seal;

/**
 * A handshake message that cannot be processed (forged, corrupted, replayed, not for us). Caught
 * by the handshake worker, counted and dropped; never reaches the data path.
 */
final class HandshakeException extends RuntimeException {
    HandshakeException(String message) {
        super(message, null, false, false);
    }
}
