package io.weft.dataplane.seal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise CipherState (specification section 5.1) for the AESGCM cipher: AES-256-GCM, nonce = 32
 * zero bits followed by the 64-bit counter n, big-endian (section 12.4). Handshake use only; the
 * transport path has its own allocation-free variant ({@link AeadEngine}) with the same nonce
 * layout.
 */
final class NoiseCipherState {
    static final int TAG_LENGTH = 16;
    private byte[] key;
    private long n;

    NoiseCipherState copy() {
        NoiseCipherState c = new NoiseCipherState();
        c.key = key;
        c.n = n;
        return c;
    }

    void initializeKey(byte[] k) {
        key = k;
        n = 0;
    }

    boolean hasKey() {
        return key != null;
    }

    byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (key == null) {
            return plaintext.clone();
        }
        byte[] out = run(Cipher.ENCRYPT_MODE, ad, plaintext);
        n++;
        return out;
    }

    /** @throws HandshakeException when authentication fails (n is then left unchanged) */
    byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        if (key == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < TAG_LENGTH) {
            throw new HandshakeException("ciphertext shorter than its tag");
        }
        byte[] out = run(Cipher.DECRYPT_MODE, ad, ciphertext);
        n++;
        return out;
    }

    private byte[] run(int mode, byte[] ad, byte[] input) {
        if (n == -1L) {
            throw new HandshakeException("nonce exhausted");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce(n)));
            c.updateAAD(ad);
            return c.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new HandshakeException("authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e, e);
        }
    }

    static byte[] nonce(long counter) {
        byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[11 - i] = (byte) (counter >>> (8 * i));
        }
        return iv;
    }
}
