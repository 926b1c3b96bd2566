package io.weft.dataplane.seal;

import io.weft.dataplane.agent.HostKey;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;

/**
 * This host's static X25519 key pair as raw 32-byte keys (RFC 7748 encoding), the Noise static
 * key {@code s}. Built from the {@link HostKey} the data plane keeps in its state directory.
 */
public final class LocalIdentity {
    private final byte[] privateKey;
    private final byte[] publicKey;

    private LocalIdentity(byte[] privateKey) {
        if (privateKey.length != X25519Dh.KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 private key is 32 bytes, got " + privateKey.length);
        }
        this.privateKey = privateKey.clone();
        this.publicKey = X25519Dh.publicKey(this.privateKey);
    }

    public static LocalIdentity of(HostKey key) {
        byte[] scalar = ((XECPrivateKey) key.privateKey()).getScalar()
                .orElseThrow(() -> new IllegalArgumentException("the host key's private scalar is not extractable"));
        LocalIdentity id = new LocalIdentity(scalar);
        if (!Arrays.equals(id.publicKey, key.publicKeyBytes())) {
            throw new IllegalStateException("host key pair is inconsistent: the public key does not match the"
                    + " private key; remove " + HostKey.PRIVATE_FILE + " and " + HostKey.PUBLIC_FILE
                    + " from the state directory to generate a new pair");
        }
        return id;
    }

    public static LocalIdentity ofPrivateKey(byte[] raw) {
        return new LocalIdentity(raw);
    }

    public static LocalIdentity generate() {
        return new LocalIdentity(X25519Dh.newPrivateKey());
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] privateKeyForHandshake() {
        return privateKey;
    }

    byte[] publicKeyRef() {
        return publicKey;
    }

    @Override
    public String toString() {
        return "LocalIdentity[" + HostKey.fingerprint(publicKey) + "]";
    }
}
