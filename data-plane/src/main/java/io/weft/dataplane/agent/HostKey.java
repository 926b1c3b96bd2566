package io.weft.dataplane.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * This host's long-term X25519 key pair, generated once into the state directory and kept there
 * ({@code host.key}, PKCS#8, mode 0600; {@code host.pub}, X.509). Only the raw 32-byte public key
 * leaves the host (in Hello). JDK XDH: no extra provider needed; issue 4's handshake takes the
 * {@link #privateKey()} from here.
 */
public final class HostKey {
    public static final String PRIVATE_FILE = "host.key";
    public static final String PUBLIC_FILE = "host.pub";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] rawPublic;

    private HostKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.rawPublic = raw((XECPublicKey) publicKey);
    }

    /** Loads the key pair from {@code dir}, generating and storing it on first use. */
    public static HostKey loadOrCreate(Path dir) throws IOException {
        StateStore.ensureDir(dir);
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        try {
            KeyFactory kf = KeyFactory.getInstance("X25519");
            if (Files.exists(priv) && Files.exists(pub)) {
                PrivateKey pk = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv)));
                PublicKey pu = kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
                return new HostKey(pk, pu);
            }
            KeyPair kp = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            write(priv, kp.getPrivate().getEncoded());
            write(pub, kp.getPublic().getEncoded());
            return new HostKey(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IOException("host key in " + dir + " is unreadable (" + e.getMessage()
                    + "); remove " + PRIVATE_FILE + " and " + PUBLIC_FILE + " to generate a new one", e);
        }
    }

    private static void write(Path p, byte[] bytes) throws IOException {
        Files.deleteIfExists(p);
        Files.createFile(p);
        StateStore.restrict(p);
        Files.write(p, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** RFC 7748 encoding: u-coordinate, 32 bytes little-endian. */
    static byte[] raw(XECPublicKey key) {
        byte[] be = key.getU().toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    /** The raw public key to announce (32 bytes). */
    public byte[] publicKeyBytes() {
        return rawPublic.clone();
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Hex of the first 8 bytes, for status output. */
    public static String fingerprint(byte[] raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, raw.length); i++) {
            sb.append(String.format("%02x", raw[i] & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "HostKey[" + fingerprint(rawPublic) + "]";
    }
}
