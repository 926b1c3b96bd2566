package io.weft.dataplane.seal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The network password ({@code --password} / {@code WEFT_PASSWORD}) turned into the 32-byte Noise
 * PSK. Argon2id (RFC 9106, BouncyCastle) with the OWASP minimum parameters (19 MiB, 2 passes, one
 * lane: ~0.1 s once at start-up), so every guess at a captured value costs an attacker the same.
 * The salt is fixed, versioned and domain-separating: every host must derive the same key from the
 * same password without exchanging or storing anything; changing the derivation means a new salt
 * version. Only the derived key is kept (in memory); the password itself is neither stored nor
 * sent. No password = 32 zero bytes (the Noise convention), so a host with a password and a host
 * without one refuse each other (WRONG_PASSWORD).
 */
public final class NetworkPassword {
    static final byte[] SALT = "weft network password v1".getBytes(StandardCharsets.US_ASCII);
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    private static final byte[] PROOF_LABEL = "weft password proof v1".getBytes(StandardCharsets.US_ASCII);
    private static final NetworkPassword NONE = new NetworkPassword(new byte[32], false);

    private final byte[] psk;
    private final boolean set;

    private NetworkPassword(byte[] psk, boolean set) {
        this.psk = psk;
        this.set = set;
    }

    public static NetworkPassword none() {
        return NONE;
    }

    /** Derives the key; null or empty means no password. */
    public static NetworkPassword of(String password) {
        if (password == null || password.isEmpty()) {
            return NONE;
        }
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        try {
            return new NetworkPassword(argon2id(utf8), true);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    static byte[] argon2id(byte[] password) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(MEMORY_KIB)
                .withIterations(ITERATIONS)
                .withParallelism(1)
                .withSalt(SALT)
                .build());
        byte[] out = new byte[32];
        generator.generateBytes(password, out);
        return out;
    }

    /**
     * A password whose key was derived before (see {@link #derivedKey()}): what a host keeps in its
     * state directory so that a restart needs the password neither again nor in plain text.
     */
    public static NetworkPassword ofDerivedKey(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("a derived password key has 32 bytes");
        }
        return new NetworkPassword(key.clone(), true);
    }

    /** The derived key (a copy), for keeping it where the host key is kept; never the password. */
    public byte[] derivedKey() {
        return psk.clone();
    }

    public boolean isSet() {
        return set;
    }

    byte[] psk() {
        return psk;
    }

    /**
     * Proof of knowing the password, bound to one handshake (its hash before message 1's payload):
     * carried encrypted in message 1, so only the responder, which holds its own static key, sees it
     * and can tell a wrong password apart from other failures. A passive observer sees neither it nor
     * anything else that depends on the password without also breaking the DH.
     */
    byte[] proof(byte[] handshakeHash) {
        return NoiseHkdf.hmac(psk, PROOF_LABEL, handshakeHash);
    }

    boolean verify(byte[] handshakeHash, byte[] proof) {
        return MessageDigest.isEqual(proof(handshakeHash), proof);
    }

    @Override
    public String toString() {
        return set ? "NetworkPassword[set]" : "NetworkPassword[none]";
    }
}
