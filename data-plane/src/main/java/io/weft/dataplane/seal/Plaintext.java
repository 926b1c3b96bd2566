package io.weft.dataplane.seal;

import io.weft.dataplane.wire.Header;

/**
 * No encryption: for trusted networks when explicitly configured, and for tests of the forwarding
 * core. Adds nothing and accepts everything the header parser accepted.
 */
public final class Plaintext implements PacketSealer, PacketOpener {
    public static final Plaintext INSTANCE = new Plaintext();

    private Plaintext() {
    }

    @Override
    public int prefixLength() {
        return 0;
    }

    @Override
    public int suffixLength() {
        return 0;
    }

    @Override
    public int seal(int peerId, byte[] buf, int off, int plaintextLength) {
        return Header.LENGTH + plaintextLength;
    }

    @Override
    public int open(int peerId, byte[] buf, int off, int length) {
        return length - Header.LENGTH;
    }
}
