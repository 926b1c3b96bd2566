package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Our Noise_IKpsk2_25519_AESGCM_SHA256 against the published cacophony test vector for exactly that
 * protocol name (haskell-cryptography/cacophony, vectors/cacophony.txt): both handshake messages,
 * the handshake hash, and four transport messages through the split keys.
 */
class NoiseVectorTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] h(String s) {
        return HEX.parseHex(s);
    }

    private static final byte[] PROLOGUE = h("4a6f686e2047616c74");
    private static final byte[] PSK = h("54686973206973206d7920417573747269616e20706572737065637469766521");
    private static final byte[] INIT_STATIC = h("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");
    private static final byte[] INIT_EPHEMERAL = h("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
    private static final byte[] INIT_REMOTE_STATIC = h("31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62");
    private static final byte[] RESP_STATIC = h("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
    private static final byte[] RESP_EPHEMERAL = h("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");
    private static final byte[] HANDSHAKE_HASH = h("48c3f1eb397c797af6b139032c6074cb41282ff033ee25d5aee4a4badd3a2c3f");
    private static final String[][] MESSAGES = {
        {"4c756477696720766f6e204d69736573",
            "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79445a1baf339186d7867062b0dd31f5de322d370165d217939b2b7ed9e2bae7840458ea65c2ce1554e0e8077fe7334c4bd514c658fd04d97b86d216f58f59714a7e24144155045c8f36bed85a2cb0fd9af7"},
        {"4d757272617920526f746862617264",
            "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f1448088432fe8d675e949799d2a968211a66cc7ba2b0f4cad8eda3c2bd37eae737bbf88"},
        {"462e20412e20486179656b", "38cbf3835c78b7802df0dd0d9640ff8575debd0cb61cfb52590da1"},
        {"4361726c204d656e676572", "ffc365ff6955fc66c5d809b31ac995f812c5770bd29f0df12f0ffd"},
        {"4a65616e2d426170746973746520536179", "a7f2828174c4ead2491ffeb77c41c890fd1229ee36f23ccb9066a795daff1cad6b"},
        {"457567656e2042f6686d20766f6e2042617765726b",
            "3b86963d5c0e6e3b4153d77153836606393eefc4e5e6dae97796552d1265839ee3825cb80c"},
    };

    @Test
    void cacophonyVectorForIKpsk2AesGcmSha256() {
        assertArrayEquals(INIT_REMOTE_STATIC, X25519Dh.publicKey(RESP_STATIC));
        NoiseIKpsk2 initiator = NoiseIKpsk2.initiator(PROLOGUE, INIT_STATIC, INIT_REMOTE_STATIC, PSK, INIT_EPHEMERAL);
        NoiseIKpsk2 responder = NoiseIKpsk2.responder(PROLOGUE, RESP_STATIC, PSK, RESP_EPHEMERAL);

        byte[] m1 = initiator.writeMessage1(h(MESSAGES[0][0]));
        assertArrayEquals(h(MESSAGES[0][1]), m1);
        assertArrayEquals(X25519Dh.publicKey(INIT_STATIC), responder.readMessage1Static(m1));
        assertArrayEquals(h(MESSAGES[0][0]), responder.readMessage1Payload());

        byte[] m2 = responder.writeMessage2(h(MESSAGES[1][0]));
        assertArrayEquals(h(MESSAGES[1][1]), m2);
        assertArrayEquals(h(MESSAGES[1][0]), initiator.readMessage2(m2));
        assertArrayEquals(HANDSHAKE_HASH, initiator.handshakeHash());
        assertArrayEquals(HANDSHAKE_HASH, responder.handshakeHash());

        byte[][] ik = initiator.split();
        byte[][] rk = responder.split();
        assertArrayEquals(ik[0], rk[0]);
        assertArrayEquals(ik[1], rk[1]);
        NoiseCipherState toResponder = new NoiseCipherState();
        toResponder.initializeKey(ik[0]);
        NoiseCipherState toInitiator = new NoiseCipherState();
        toInitiator.initializeKey(ik[1]);
        for (int i = 2; i < MESSAGES.length; i++) {
            NoiseCipherState c = i % 2 == 0 ? toResponder : toInitiator;
            assertArrayEquals(h(MESSAGES[i][1]), c.encryptWithAd(new byte[0], h(MESSAGES[i][0])), "message " + i);
        }
    }
}
