package io.weft.dataplane.seal;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-thread AES-GCM for transport datagrams, sealed and opened in place in the caller's byte[]
 * (the JDK runs AES-NI + PCLMULQDQ intrinsics on arrays; direct buffers would be staged through
 * copies). Cipher objects are not thread-safe, so each thread keeps its own pair (one to seal, one
 * to open: the JDK's IV-reuse guard only concerns encryption) and reuses them for every session.
 *
 * <p>Why AES-256-GCM (bench/.../jmh/AeadBench): the JDK 17 ChaCha20-Poly1305 has no intrinsics and
 * measured 3-9x slower per 1400-byte datagram; AES-128-GCM and AES-256-GCM were within the noise
 * of this shared machine (in theory AES-128 saves at most the 4 extra rounds of the CTR half,
 * GHASH costs the same), and AES-256 is what Noise's AESGCM cipher specifies, so the transport
 * uses the handshake's split keys as they are.
 *
 * <p>Nonce: 4 zero bytes + the 8-byte big-endian counter (the Noise AESGCM layout). What still
 * allocates per datagram, because the JDK API leaves no way around it: the GCMParameterSpec (and
 * the IV copy it makes), the key copy {@code SecretKeySpec.getEncoded()} hands to
 * {@code Cipher.init}, and the GCM engine state that init creates; a few hundred bytes, all
 * short-lived (see bench AeadBench -prof gc).
 */
final class AeadEngine {
    static final int TAG_LENGTH = 16;
    private static final ThreadLocal<AeadEngine> PER_THREAD = ThreadLocal.withInitial(AeadEngine::new);

    private final Cipher sealer;
    private final Cipher opener;
    private final byte[] nonce = new byte[12];

    AeadEngine() {
        try {
            sealer = Cipher.getInstance("AES/GCM/NoPadding");
            opener = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM missing from the JDK", e);
        }
    }

    static AeadEngine current() {
        return PER_THREAD.get();
    }

    static SecretKeySpec key(byte[] raw) {
        return new SecretKeySpec(raw, "AES");
    }

    /**
     * Encrypts {@code buf[textOff, textOff+length)} in place and appends the tag, authenticating
     * {@code buf[adOff, adOff+adLength)} too.
     *
     * @return ciphertext + tag length, or -1 if the buffer has no room for the tag
     */
    int seal(SecretKeySpec key, long counter, byte[] buf, int adOff, int adLength, int textOff, int length) {
        if (textOff + length + TAG_LENGTH > buf.length) {
            return -1;
        }
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, spec(counter));
            sealer.updateAAD(buf, adOff, adLength);
            return sealer.doFinal(buf, textOff, length, buf, textOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed: " + e, e);
        }
    }

    /**
     * Verifies and decrypts {@code buf[textOff, textOff+length)} (ciphertext + tag) in place.
     *
     * @return the plaintext length, or -1 if it does not authenticate
     */
    int open(SecretKeySpec key, long counter, byte[] buf, int adOff, int adLength, int textOff, int length) {
        if (length < TAG_LENGTH) {
            return -1;
        }
        try {
            opener.init(Cipher.DECRYPT_MODE, key, spec(counter));
            opener.updateAAD(buf, adOff, adLength);
            return opener.doFinal(buf, textOff, length, buf, textOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed: " + e, e);
        }
    }

    private GCMParameterSpec spec(long counter) {
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (counter >>> (8 * i));
        }
        return new GCMParameterSpec(TAG_LENGTH * 8, nonce);
    }
}
