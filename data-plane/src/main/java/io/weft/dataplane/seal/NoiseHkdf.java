package io.weft.dataplane.seal;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 hashing and the HKDF of the Noise specification (section 4.3): RFC 5869 extract with the
 * chaining key as salt, then expand with empty info into two or three 32-byte outputs. Only the
 * handshake uses it (a few calls per handshake), so each call takes fresh JDK objects.
 */
final class NoiseHkdf {
    static final int HASH_LENGTH = 32;

    private NoiseHkdf() {
    }

    static byte[] sha256(byte[]... parts) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        return hmac(key, parts, null, 0, 0);
    }

    /** HMAC-SHA256 over {@code parts} followed by {@code buf[off, off+len)} (buf may be null). */
    static byte[] hmac(byte[] key, byte[][] parts, byte[] buf, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            if (buf != null) {
                mac.update(buf, off, len);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    /** HKDF(chainingKey, ikm) with {@code outputs} (2 or 3) outputs of 32 bytes. */
    static byte[][] derive(byte[] chainingKey, byte[] ikm, int outputs) {
        byte[] temp = hmac(chainingKey, ikm);
        byte[][] out = new byte[outputs][];
        byte[] previous = new byte[0];
        for (int i = 0; i < outputs; i++) {
            previous = hmac(temp, previous, new byte[] {(byte) (i + 1)});
            out[i] = previous;
        }
        return out;
    }
}
