package io.weft.dataplane.seal;

import java.nio.charset.StandardCharsets;

/** The Noise SymmetricState (specification section 5.2) over SHA-256 and {@link NoiseCipherState}. */
final class NoiseSymmetricState {
    private final NoiseCipherState cipher;
    private byte[] chainingKey;
    private byte[] hash;

    private NoiseSymmetricState(NoiseSymmetricState other) {
        cipher = other.cipher.copy();
        chainingKey = other.chainingKey;
        hash = other.hash;
    }

    /** An independent copy (every field is replaced, never mutated, so sharing arrays is safe). */
    NoiseSymmetricState copy() {
        return new NoiseSymmetricState(this);
    }

    NoiseSymmetricState(String protocolName) {
        cipher = new NoiseCipherState();
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        if (name.length <= NoiseHkdf.HASH_LENGTH) {
            hash = java.util.Arrays.copyOf(name, NoiseHkdf.HASH_LENGTH);
        } else {
            hash = NoiseHkdf.sha256(name);
        }
        chainingKey = hash.clone();
    }

    void mixKey(byte[] ikm) {
        byte[][] out = NoiseHkdf.derive(chainingKey, ikm, 2);
        chainingKey = out[0];
        cipher.initializeKey(out[1]);
    }

    void mixHash(byte[] data) {
        hash = NoiseHkdf.sha256(hash, data);
    }

    void mixKeyAndHash(byte[] ikm) {
        byte[][] out = NoiseHkdf.derive(chainingKey, ikm, 3);
        chainingKey = out[0];
        mixHash(out[1]);
        cipher.initializeKey(out[2]);
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] c = cipher.encryptWithAd(hash, plaintext);
        mixHash(c);
        return c;
    }

    byte[] decryptAndHash(byte[] ciphertext) {
        byte[] p = cipher.decryptWithAd(hash, ciphertext);
        mixHash(ciphertext);
        return p;
    }

    /** Encrypts with the current key and hash as associated data, without mixing (see {@link NoiseIKpsk2#sealRejection}). */
    byte[] encryptDetached(byte[] plaintext) {
        return cipher.encryptWithAd(hash, plaintext);
    }

    byte[] decryptDetached(byte[] ciphertext) {
        return cipher.decryptWithAd(hash, ciphertext);
    }

    /** The two transport keys: initiator-to-responder first. */
    byte[][] split() {
        return NoiseHkdf.derive(chainingKey, new byte[0], 2);
    }

    byte[] handshakeHash() {
        return hash.clone();
    }

    boolean hasKey() {
        return cipher.hasKey();
    }
}
