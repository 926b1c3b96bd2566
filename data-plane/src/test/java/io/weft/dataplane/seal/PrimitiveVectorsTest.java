package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** The primitives under the handshake and the transport, against their published test vectors. */
class PrimitiveVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] h(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void x25519Rfc7748Section5Vector() {
        byte[] out = X25519Dh.agree(h("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                h("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        assertArrayEquals(h("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"), out);
    }

    @Test
    void x25519Rfc7748Section6DiffieHellman() {
        byte[] alice = h("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = h("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertArrayEquals(h("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), X25519Dh.publicKey(alice));
        assertArrayEquals(h("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), X25519Dh.publicKey(bob));
        byte[] shared = h("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(shared, X25519Dh.agree(alice, X25519Dh.publicKey(bob)));
        assertArrayEquals(shared, X25519Dh.agree(bob, X25519Dh.publicKey(alice)));
    }

    @Test
    void x25519RefusesLowOrderPoints() {
        assertThrows(HandshakeException.class, () -> X25519Dh.agree(X25519Dh.newPrivateKey(), new byte[32]));
    }

    /** RFC 5869 test case 3 (empty salt = HashLen zero bytes, empty info): Noise's HKDF is exactly this. */
    @Test
    void hkdfRfc5869TestCase3() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[][] out = NoiseHkdf.derive(new byte[32], ikm, 2);
        byte[] okm = Arrays.copyOf(concat(out[0], out[1]), 42);
        assertArrayEquals(h("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"), okm);
        assertArrayEquals(h("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"),
                NoiseHkdf.hmac(new byte[32], ikm), "PRK");
    }

    /** McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 13 and 14 (AES-256, zero key and IV). */
    @Test
    void aes256GcmSpecTestCases13And14ThroughTheTransportEngine() {
        javax.crypto.spec.SecretKeySpec zeroKey = AeadEngine.key(new byte[32]);
        byte[] empty = new byte[16];
        // Two engines: the JDK refuses to encrypt twice with one key and IV on one Cipher.
        assertEquals(16, new AeadEngine().seal(zeroKey, 0, empty, 0, 0, 0, 0));
        assertArrayEquals(h("530f8afbc74536b9a963b4f1c4cb738b"), empty);

        byte[] block = new byte[32];
        assertEquals(32, new AeadEngine().seal(zeroKey, 0, block, 0, 0, 0, 16));
        assertArrayEquals(h("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"), block);
        assertEquals(16, AeadEngine.current().open(zeroKey, 0, block, 0, 0, 0, 32));
        assertArrayEquals(new byte[16], Arrays.copyOf(block, 16));
    }

    /** RFC 9106 section 5.3 Argon2id vector, through the BouncyCastle generator NetworkPassword uses. */
    @Test
    void argon2idRfc9106Vector() {
        byte[] password = new byte[32];
        Arrays.fill(password, (byte) 1);
        byte[] salt = new byte[16];
        Arrays.fill(salt, (byte) 2);
        byte[] secret = new byte[8];
        Arrays.fill(secret, (byte) 3);
        byte[] ad = new byte[12];
        Arrays.fill(ad, (byte) 4);
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4).withSalt(salt).withSecret(secret)
                .withAdditional(ad).build());
        byte[] tag = new byte[32];
        g.generateBytes(password, tag);
        assertArrayEquals(h("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"), tag);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
