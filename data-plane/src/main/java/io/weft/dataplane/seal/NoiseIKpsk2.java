package io.weft.dataplane.seal;

import java.util.Arrays;

/**
 * The Noise HandshakeState (specification revision 34, section 5.3) for exactly one pattern:
 * <pre>
 *   IKpsk2:
 *     &lt;- s
 *     ...
 *     -&gt; e, es, s, ss
 *     &lt;- e, ee, se, psk
 * </pre>
 * Why this pattern: each host already knows every member's static key from the control plane (the
 * "K" of IK), so one round trip authenticates both sides, hides the initiator's identity from
 * passive observers and gives forward secrecy through the ephemeral keys; the psk2 modifier mixes the
 * network password into the session keys after both ephemeral DHs, so an attacker who stole the
 * control-plane database (public keys) or even a host's static key still cannot derive session keys
 * without the password. It is the pattern WireGuard uses; we instantiate it with the primitives the
 * JDK accelerates (X25519, AES-GCM, SHA-256) as {@code Noise_IKpsk2_25519_AESGCM_SHA256}, checked
 * against the published cacophony test vectors.
 *
 * <p>One instance per handshake attempt, used by one thread (the handshake worker).
 */
final class NoiseIKpsk2 {
    static final String PROTOCOL = "Noise_IKpsk2_25519_AESGCM_SHA256";
    static final int DH = X25519Dh.KEY_LENGTH;
    static final int TAG = NoiseCipherState.TAG_LENGTH;

    private final NoiseSymmetricState state;
    private final byte[] localPrivate;
    private final byte[] localPublic;
    private final byte[] psk;
    private byte[] ephemeralPrivate;
    private byte[] remoteStatic;
    private byte[] remoteEphemeral;
    private byte[] pendingMessage1;
    private byte[] hashBeforePayload;

    private NoiseIKpsk2(byte[] prologue, byte[] localPrivate, byte[] responderStatic, byte[] psk,
            byte[] ephemeralPrivate) {
        if (psk.length != 32) {
            throw new IllegalArgumentException("the Noise psk is 32 bytes");
        }
        this.state = new NoiseSymmetricState(PROTOCOL);
        this.localPrivate = localPrivate.clone();
        this.localPublic = X25519Dh.publicKey(localPrivate);
        this.psk = psk.clone();
        this.ephemeralPrivate = ephemeralPrivate;
        state.mixHash(prologue);
        state.mixHash(responderStatic); // the pre-message "<- s"
    }

    private NoiseIKpsk2(NoiseIKpsk2 o) {
        state = o.state.copy();
        localPrivate = o.localPrivate;
        localPublic = o.localPublic;
        psk = o.psk;
        ephemeralPrivate = o.ephemeralPrivate;
        remoteStatic = o.remoteStatic;
        remoteEphemeral = o.remoteEphemeral;
        pendingMessage1 = o.pendingMessage1;
        hashBeforePayload = o.hashBeforePayload;
    }

    /**
     * An independent copy: the initiator reads an answer on a copy, so a forged answer (which fails
     * half-way, after mixing) cannot spoil the state the genuine answer still needs.
     */
    NoiseIKpsk2 copy() {
        return new NoiseIKpsk2(this);
    }

    /** {@code ephemeral} is for test vectors only; production passes null (a fresh key). */
    static NoiseIKpsk2 initiator(byte[] prologue, byte[] localPrivate, byte[] remoteStatic, byte[] psk,
            byte[] ephemeral) {
        NoiseIKpsk2 hs = new NoiseIKpsk2(prologue, localPrivate, remoteStatic, psk, ephemeral);
        hs.remoteStatic = remoteStatic.clone();
        return hs;
    }

    static NoiseIKpsk2 responder(byte[] prologue, byte[] localPrivate, byte[] psk, byte[] ephemeral) {
        return new NoiseIKpsk2(prologue, localPrivate, X25519Dh.publicKey(localPrivate), psk, ephemeral);
    }

    static int message1Length(int payloadLength) {
        return DH + DH + TAG + payloadLength + TAG;
    }

    static int message2Length(int payloadLength) {
        return DH + payloadLength + TAG;
    }

    /** Initiator: {@code -> e, es, s, ss} and the encrypted payload. */
    byte[] writeMessage1(byte[] payload) {
        beginMessage1();
        return finishMessage1(payload);
    }

    /**
     * Initiator, first half of message 1: the tokens {@code e, es, s, ss}. The payload can then
     * depend on {@link #hashBeforePayload()} (the password proof does); {@link #finishMessage1}.
     */
    void beginMessage1() {
        byte[] ePub = writeEphemeral();
        state.mixKey(X25519Dh.agree(ephemeralPrivate, remoteStatic));            // es
        byte[] encryptedStatic = state.encryptAndHash(localPublic);              // s
        state.mixKey(X25519Dh.agree(localPrivate, remoteStatic));                // ss
        hashBeforePayload = state.handshakeHash();
        pendingMessage1 = concat(ePub, encryptedStatic);
    }

    byte[] finishMessage1(byte[] payload) {
        byte[] tokens = pendingMessage1;
        pendingMessage1 = null;
        return concat(tokens, state.encryptAndHash(payload));
    }

    /**
     * Responder, first half of message 1: {@code e, es, s}. Returns the initiator's static key, so
     * the caller can look it up (and stop early for a key it has never heard of) before the second
     * DH; {@link #readMessage1Payload} finishes.
     */
    byte[] readMessage1Static(byte[] message) {
        if (message.length < DH + DH + TAG + TAG) {
            throw new HandshakeException("message 1 too short");
        }
        pendingMessage1 = message;
        readEphemeral(message);
        state.mixKey(X25519Dh.agree(localPrivate, remoteEphemeral));             // es
        remoteStatic = state.decryptAndHash(Arrays.copyOfRange(message, DH, DH + DH + TAG)); // s
        return remoteStatic.clone();
    }

    /** Responder, second half of message 1: {@code ss} and the payload. */
    byte[] readMessage1Payload() {
        byte[] message = pendingMessage1;
        pendingMessage1 = null;
        state.mixKey(X25519Dh.agree(localPrivate, remoteStatic));                // ss
        hashBeforePayload = state.handshakeHash();
        return state.decryptAndHash(Arrays.copyOfRange(message, DH + DH + TAG, message.length));
    }

    /** Responder: {@code <- e, ee, se, psk} and the encrypted payload. */
    byte[] writeMessage2(byte[] payload) {
        byte[] ePub = writeEphemeral();
        state.mixKey(X25519Dh.agree(ephemeralPrivate, remoteEphemeral));         // ee
        state.mixKey(X25519Dh.agree(ephemeralPrivate, remoteStatic));            // se
        state.mixKeyAndHash(psk);                                                // psk
        return concat(ePub, state.encryptAndHash(payload));
    }

    /** Initiator: reads message 2; throws {@link HandshakeException} if it does not authenticate. */
    byte[] readMessage2(byte[] message) {
        if (message.length < DH + TAG) {
            throw new HandshakeException("message 2 too short");
        }
        readEphemeral(message);
        state.mixKey(X25519Dh.agree(ephemeralPrivate, remoteEphemeral));         // ee
        state.mixKey(X25519Dh.agree(localPrivate, remoteEphemeral));             // se
        state.mixKeyAndHash(psk);                                                // psk
        return state.decryptAndHash(Arrays.copyOfRange(message, DH, message.length));
    }

    /**
     * Weft extension, not part of Noise: after message 1 both sides hold the same CipherState (keyed
     * by es and ss, nonce 1) and handshake hash. A responder that refuses the initiator encrypts the
     * reason under them instead of answering with message 2, so only the holder of the responder's
     * static key can produce a rejection the initiator accepts, and only for this attempt (the hash
     * covers the initiator's fresh ephemeral key). The handshake ends there.
     */
    byte[] sealRejection(byte[] reason) {
        return state.encryptDetached(reason);
    }

    byte[] openRejection(byte[] sealed) {
        return state.decryptDetached(sealed);
    }

    /** The handshake hash just before message 1's payload: what the password proof is bound to. */
    byte[] hashBeforePayload() {
        return hashBeforePayload.clone();
    }

    byte[] handshakeHash() {
        return state.handshakeHash();
    }

    /** Transport keys after message 2: [initiator-to-responder, responder-to-initiator]. */
    byte[][] split() {
        return state.split();
    }

    byte[] remoteStatic() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    private byte[] writeEphemeral() {
        if (ephemeralPrivate == null) {
            ephemeralPrivate = X25519Dh.newPrivateKey();
        }
        byte[] ePub = X25519Dh.publicKey(ephemeralPrivate);
        state.mixHash(ePub);
        state.mixKey(ePub); // psk modes also mix e into the key (specification section 9.2)
        return ePub;
    }

    private void readEphemeral(byte[] message) {
        remoteEphemeral = Arrays.copyOfRange(message, 0, DH);
        state.mixHash(remoteEphemeral);
        state.mixKey(remoteEphemeral);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
