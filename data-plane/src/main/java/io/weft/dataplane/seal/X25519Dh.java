package io.weft.dataplane.seal;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 (RFC 7748) on raw 32-byte keys, through BouncyCastle's constant-time implementation: the
 * handshake works on raw keys (they travel in messages), which the JDK's XDH only takes through
 * key specs and factories.
 */
final class X25519Dh {
    static final int KEY_LENGTH = X25519.POINT_SIZE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private X25519Dh() {
    }

    static byte[] newPrivateKey() {
        byte[] k = new byte[KEY_LENGTH];
        X25519.generatePrivateKey(RANDOM, k);
        return k;
    }

    static byte[] publicKey(byte[] privateKey) {
        byte[] p = new byte[KEY_LENGTH];
        X25519.generatePublicKey(privateKey, 0, p, 0);
        return p;
    }

    /**
     * The shared secret of {@code privateKey} and {@code publicKey}.
     *
     * @throws HandshakeException when the result is all zeros (a low-order public key: forged)
     */
    static byte[] agree(byte[] privateKey, byte[] publicKey) {
        byte[] out = new byte[KEY_LENGTH];
        if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new HandshakeException("X25519 with a low-order public key");
        }
        return out;
    }
}
