package io.weft.dataplane.seal;

import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Wire formats of the sealing layer. Every datagram starts with the 16-byte Weft {@link Header}
 * (big-endian throughout). Handshake datagrams: header flags 0, isolation id 0, TTL 0, source =
 * sender's peer id, destination = receiver's peer id.
 *
 * <pre>
 * Transport datagram (header type FRAME/HEARTBEAT/..., flag SEALED set by the device):
 *  0                16               20                       28                    len-16   len
 * +----------------+----------------+------------------------+---------------------+--------+
 * | Weft header 16 | receiver index | counter (u64)          | ciphertext          | tag 16 |
 * +----------------+----------------+------------------------+---------------------+--------+
 *   AES-256-GCM, key = this direction's transport key, nonce = 4 zero bytes || counter,
 *   associated data = the 16 header bytes. receiver index = the index the RECEIVER chose for the
 *   session (it finds the session with it); counters start at 0 per session and direction.
 *
 * HANDSHAKE_INIT (type 5), 176 bytes: Noise message 1 "-&gt; e, es, s, ss" + payload
 *  16  sender index (u32, chosen by the initiator, non-zero)
 *  20  ephemeral public key (32)
 *  52  encrypted static public key (32 + 16 tag)
 * 100  encrypted payload (60): TAI64N timestamp (12) || password proof (32) || tag (16)
 * 160  mac1 (16)
 *
 * HANDSHAKE_RESPONSE (type 6), 88 bytes: Noise message 2 "&lt;- e, ee, se, psk", empty payload
 *  16  sender index (u32, chosen by the responder)
 *  20  receiver index (u32, the initiator's sender index)
 *  24  ephemeral public key (32)
 *  56  encrypted empty payload (16 tag)
 *  72  mac1 (16)
 *
 * HANDSHAKE_RESPONSE (type 6) of 37 bytes: REJECTION, the responder's authenticated refusal
 *  16  receiver index (u32, the initiator's sender index)
 *  20  encrypted reason (1 byte: 1 = WRONG_PASSWORD, 2 = UNKNOWN_KEY) + tag (16), sealed with
 *      the CipherState and hash both sides hold after message 1 (see NoiseIKpsk2#sealRejection)
 * </pre>
 * Noise: Noise_IKpsk2_25519_AESGCM_SHA256, prologue "weft seal v1", psk = the network password's
 * Argon2id key (32 zero bytes without a password). The responder accepts message 1 only if its
 * timestamp is newer than the last one accepted from that initiator (replay protection) and the
 * password proof = HMAC-SHA256(psk, "weft password proof v1" || handshake hash before the payload)
 * matches its own; otherwise it answers with a rejection (WRONG_PASSWORD, or UNKNOWN_KEY for a
 * static key that is not the member's), at most one per peer per second. Transport keys: Noise
 * Split(), first key initiator-to-responder.
 *
 * mac1 = first 16 bytes of HMAC-SHA256(SHA-256("weft mac1 v1" || receiver's static public key),
 * every byte before mac1, header included). It is no secret (public keys are distributed), but it
 * lets the worker drop garbage and datagrams built without the receiver's key with one HMAC instead
 * of a DH, and it binds the header's peer ids to the handshake message. Rejections carry none:
 * their AEAD tag already authenticates them.
 */
final class HandshakeWire {
    /** Message kinds; on the wire INIT is PacketType.HANDSHAKE_INIT, RESPONSE and REJECT are both
     *  PacketType.HANDSHAKE_RESPONSE, told apart by their (fixed, different) lengths. */
    static final int INIT = 1;
    static final int RESPONSE = 2;
    static final int REJECT = 3;

    static final byte[] PROLOGUE = "weft seal v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC1_LABEL = "weft mac1 v1".getBytes(StandardCharsets.US_ASCII);
    static final int MAC_LENGTH = 16;
    static final int INDEX = 4;

    /** Message 1 payload: timestamp + password proof. */
    static final int INIT_PAYLOAD = Tai64n.LENGTH + 32;
    static final int INIT_NOISE = NoiseIKpsk2.message1Length(INIT_PAYLOAD);
    static final int INIT_LENGTH = Header.LENGTH + INDEX + INIT_NOISE + MAC_LENGTH;
    static final int RESPONSE_NOISE = NoiseIKpsk2.message2Length(0);
    static final int RESPONSE_LENGTH = Header.LENGTH + INDEX + INDEX + RESPONSE_NOISE + MAC_LENGTH;
    static final int REJECT_LENGTH = Header.LENGTH + INDEX + 1 + NoiseCipherState.TAG_LENGTH;

    /** Transport prefix: receiver index + counter. */
    static final int PREFIX_LENGTH = INDEX + 8;

    private HandshakeWire() {
    }

    static byte[] mac1Key(byte[] receiverStaticPublic) {
        return NoiseHkdf.sha256(MAC1_LABEL, receiverStaticPublic);
    }

    /** Builds a handshake datagram of {@code kind}: header, {@code parts}, mac1 when {@code mac1Key} is set. */
    static byte[] datagram(int kind, int self, int peer, byte[] mac1Key, byte[]... parts) {
        int type = kind == INIT ? PacketType.HANDSHAKE_INIT : PacketType.HANDSHAKE_RESPONSE;
        int n = Header.LENGTH + (mac1Key == null ? 0 : MAC_LENGTH);
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] d = new byte[n];
        new Header().wrap(d, 0).write(type, 0, 0, 0, self, peer);
        int o = Header.LENGTH;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, d, o, p.length);
            o += p.length;
        }
        if (mac1Key != null) {
            System.arraycopy(mac1(mac1Key, d, o), 0, d, o, MAC_LENGTH);
        }
        return d;
    }

    static byte[] index(int value) {
        byte[] b = new byte[INDEX];
        Bytes.putI32(b, 0, value);
        return b;
    }

    static boolean mac1Valid(byte[] myMac1Key, byte[] d) {
        int macOff = d.length - MAC_LENGTH;
        byte[] expected = mac1(myMac1Key, d, macOff);
        return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(d, macOff, d.length));
    }

    private static byte[] mac1(byte[] key, byte[] d, int length) {
        return java.util.Arrays.copyOf(NoiseHkdf.hmac(key, new byte[0][], d, 0, length), MAC_LENGTH);
    }

    /** The kind of a datagram with header type {@code type} and {@code length} bytes, or -1 if none fits. */
    static int kind(int type, int length) {
        if (type == PacketType.HANDSHAKE_INIT && length == INIT_LENGTH) {
            return INIT;
        }
        if (type == PacketType.HANDSHAKE_RESPONSE) {
            return length == RESPONSE_LENGTH ? RESPONSE : length == REJECT_LENGTH ? REJECT : -1;
        }
        return -1;
    }
}
