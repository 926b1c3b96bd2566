package io.weft.dataplane.seal;

import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.Header;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The handshake logic, run by the handshake worker thread only (all DH work happens here, never on
 * the data path): answers initiations, completes our own, handles rejections, retransmits with
 * back-off and expires sessions. Formats: {@link HandshakeWire}.
 */
final class Handshakes {
    static final long REJECT_INTERVAL_NANOS = 1_000_000_000L;
    private final SessionManager manager;
    private final int self;
    private final LocalIdentity identity;
    private final NetworkPassword password;
    private final SealConfig config;
    private final SealClock clock;
    private final HandshakeTransport transport;
    private final SealCounters counters;
    private final byte[] myMac1Key;
    private final TokenBucket dhBudget;
    private final SecureRandom random = new SecureRandom();
    /** Our pending initiations by the sender index we chose. */
    private final Map<Integer, PeerChannel> pending = new HashMap<>();
    private long lastTimestamp = Long.MIN_VALUE;

    Handshakes(SessionManager manager, int self, LocalIdentity identity, NetworkPassword password,
            SealConfig config, SealClock clock, HandshakeTransport transport, SealCounters counters) {
        this.manager = manager;
        this.self = self;
        this.identity = identity;
        this.password = password;
        this.config = config;
        this.clock = clock;
        this.transport = transport;
        this.counters = counters;
        this.myMac1Key = HandshakeWire.mac1Key(identity.publicKeyRef());
        this.dhBudget = new TokenBucket(config.globalRate(), config.globalBurst(), clock.nanoTime());
    }

    /** One handshake datagram (a private copy). Never throws for any input. */
    void process(byte[] d) {
        try {
            int kind = checkHeader(d);
            if (kind < 0) {
                counters.handshakeMalformed.increment();
                return;
            }
            if (kind != HandshakeWire.REJECT && !HandshakeWire.mac1Valid(myMac1Key, d)) {
                counters.handshakeMalformed.increment();
                return;
            }
            switch (kind) {
                case HandshakeWire.INIT:
                    if (!dhBudget.take(clock.nanoTime())) {
                        counters.handshakeRateLimited.increment();
                        return;
                    }
                    respond(d);
                    break;
                case HandshakeWire.RESPONSE:
                    complete(d);
                    break;
                default:
                    rejected(d);
                    break;
            }
        } catch (HandshakeException e) {
            counters.handshakeInvalid.increment();
        }
    }

    /** The message kind if the header is a well-formed handshake header addressed to us, else -1. */
    private int checkHeader(byte[] d) {
        if (d.length < Header.LENGTH) {
            return -1;
        }
        Header h = new Header().wrap(d, 0);
        if (h.version() != Header.VERSION || h.flags() != 0 || Bytes.i32(d, 4) != 0
                || h.destinationPeer() != self || h.sourcePeer() == 0) {
            return -1;
        }
        return HandshakeWire.kind(h.type(), d.length);
    }

    private void respond(byte[] d) {
        long now = clock.nanoTime();
        int src = Bytes.i32(d, 8);
        int senderIndex = Bytes.i32(d, Header.LENGTH);
        int noiseOff = Header.LENGTH + HandshakeWire.INDEX;
        NoiseIKpsk2 hs = NoiseIKpsk2.responder(HandshakeWire.PROLOGUE, identity.privateKeyForHandshake(),
                password.psk(), null);
        byte[] remoteStatic = hs.readMessage1Static(Arrays.copyOfRange(d, noiseOff, noiseOff + HandshakeWire.INIT_NOISE));
        byte[] payload = hs.readMessage1Payload(); // the initiator holds remoteStatic's private key
        PeerChannel p = manager.peerByKey(remoteStatic);
        if (p == null) {
            counters.unknownKeys.increment();
            PeerChannel claimed = manager.peer(src);
            if (claimed != null) {
                claimed.handshakesFailed.incrementAndGet();
                if (claimed.current == null) {
                    // Only without a working session: anyone who knows our public key can claim
                    // to be a member with some other key, and must not taint a healthy peer.
                    claimed.refusal = Refusal.UNKNOWN_KEY;
                }
                reject(claimed, senderIndex, hs, Refusal.UNKNOWN_KEY);
            }
            return;
        }
        if (p.peerId != src) {
            counters.handshakeMalformed.increment(); // the header names another peer than the key
            return;
        }
        p.handshakesReceived.incrementAndGet();
        long timestamp = Tai64n.read(payload, 0);
        if (timestamp == Long.MIN_VALUE || timestamp <= p.lastAcceptedTimestamp) {
            counters.handshakeReplayed.increment();
            p.handshakesFailed.incrementAndGet();
            return;
        }
        byte[] proof = Arrays.copyOfRange(payload, Tai64n.LENGTH, HandshakeWire.INIT_PAYLOAD);
        if (!password.verify(hs.hashBeforePayload(), proof)) {
            p.lastAcceptedTimestamp = timestamp;
            p.handshakesFailed.incrementAndGet();
            p.refusal = Refusal.WRONG_PASSWORD;
            reject(p, senderIndex, hs, Refusal.WRONG_PASSWORD);
            return;
        }
        if (p.inFlight != null && now - p.inFlight.sentNanos < config.rekeyTimeout().toNanos()
                && Arrays.compareUnsigned(identity.publicKeyRef(), p.staticKey) > 0) {
            // Both sides initiated at once: the larger static key's initiation wins, ours will be
            // answered; answering this one too would leave each side preferring another session.
            return;
        }
        p.lastAcceptedTimestamp = timestamp;
        abandon(p);
        byte[] message2 = hs.writeMessage2(new byte[0]);
        byte[][] keys = hs.split();
        int index = allocateIndex();
        TransportSession s = new TransportSession(p.peerId, index, senderIndex, false, now, keys[1], keys[0]);
        if (!manager.installResponded(p, s)) {
            return;
        }
        established(p, 0);
        byte[] out = HandshakeWire.datagram(HandshakeWire.RESPONSE, self, p.peerId, p.mac1Key,
                HandshakeWire.index(index), HandshakeWire.index(senderIndex), message2);
        transport.send(p.peerId, out, 0, out.length);
    }

    /**
     * Sends an authenticated refusal, at most one per peer per {@link #REJECT_INTERVAL_NANOS}: an
     * attacker who knows our public key could otherwise make us spray rejections at a member
     * (claiming its id) and use up that member's handshake budget for us.
     */
    private void reject(PeerChannel to, int senderIndex, NoiseIKpsk2 hs, Refusal reason) {
        long now = clock.nanoTime();
        if (to.lastRejectNanos != 0 && now - to.lastRejectNanos < REJECT_INTERVAL_NANOS) {
            counters.rejectionsSuppressed.increment();
            return;
        }
        to.lastRejectNanos = now == 0 ? 1 : now;
        byte[] sealed = hs.sealRejection(new byte[] {(byte) reason.code()});
        byte[] out = HandshakeWire.datagram(HandshakeWire.REJECT, self, to.peerId, null,
                HandshakeWire.index(senderIndex), sealed);
        transport.send(to.peerId, out, 0, out.length);
    }

    /** The pending initiation a response or rejection answers, or null (counted). */
    private PeerChannel answered(byte[] d, int receiverIndex) {
        PeerChannel p = pending.get(receiverIndex);
        if (p == null || p.removed || p.inFlight == null || p.inFlight.localIndex != receiverIndex
                || p.peerId != Bytes.i32(d, 8)) {
            counters.handshakeInvalid.increment();
            return null;
        }
        return p;
    }

    private void complete(byte[] d) {
        int senderIndex = Bytes.i32(d, Header.LENGTH);
        int receiverIndex = Bytes.i32(d, Header.LENGTH + HandshakeWire.INDEX);
        PeerChannel p = answered(d, receiverIndex);
        if (p == null) {
            return;
        }
        int noiseOff = Header.LENGTH + 2 * HandshakeWire.INDEX;
        NoiseIKpsk2 hs = p.inFlight.handshake.copy();
        try {
            hs.readMessage2(Arrays.copyOfRange(d, noiseOff, noiseOff + HandshakeWire.RESPONSE_NOISE));
        } catch (HandshakeException e) {
            p.handshakesFailed.incrementAndGet();
            throw e;
        }
        long now = clock.nanoTime();
        byte[][] keys = hs.split();
        TransportSession s = new TransportSession(p.peerId, receiverIndex, senderIndex, true, now, keys[0], keys[1]);
        pending.remove(receiverIndex);
        p.inFlight = null;
        if (!manager.installInitiated(p, s)) {
            return;
        }
        p.handshakeWanted.set(false);
        p.attempts = 0;
        established(p, now - p.firstAttemptNanos);
        transport.sessionEstablished(p.peerId);
    }

    private void established(PeerChannel p, long durationNanos) {
        p.refusal = Refusal.NONE;
        p.lastHandshakeEpochMillis = Math.floorDiv(clock.epochNanos(), 1_000_000L);
        p.lastHandshakeNanos = durationNanos;
        if (p.everEstablished) {
            p.rekeys.incrementAndGet();
        }
        p.everEstablished = true;
    }

    private void rejected(byte[] d) {
        int receiverIndex = Bytes.i32(d, Header.LENGTH);
        PeerChannel p = answered(d, receiverIndex);
        if (p == null) {
            return;
        }
        byte[] sealed = Arrays.copyOfRange(d, Header.LENGTH + HandshakeWire.INDEX, d.length);
        byte[] reason = p.inFlight.handshake.copy().openRejection(sealed);
        Refusal r = Refusal.fromCode(reason[0]);
        if (r == null) {
            throw new HandshakeException("unknown rejection reason");
        }
        p.refusal = r;
        p.handshakesFailed.incrementAndGet();
        pending.remove(receiverIndex);
        p.inFlight = null; // the next attempt follows the back-off already scheduled
    }

    /** Timers: retransmissions, new handshakes the data path asked for, session expiry. */
    void tick() {
        long now = clock.nanoTime();
        for (PeerChannel p : manager.peerList()) {
            manager.expire(p, now);
            if (p.removed) {
                abandon(p);
                continue;
            }
            // A first attempt when the data path asks; retries (after no answer or a rejection)
            // when their back-off is over. (No "0 = unset" time: nanoTime may be negative.)
            boolean due = p.attempts == 0 ? p.handshakeWanted.get() : now - p.nextAttemptNanos >= 0;
            if (!due) {
                continue;
            }
            if (!manager.needsHandshake(p, now)) {
                abandon(p);
                p.attempts = 0;
                p.handshakeWanted.set(false);
                continue;
            }
            if (p.attempts == 0) {
                p.firstAttemptNanos = now;
            } else if (now - p.firstAttemptNanos >= config.rekeyAttemptTime().toNanos()) {
                giveUp(p);
                continue;
            }
            initiate(p, now);
        }
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().removed) {
                it.remove();
            }
        }
    }

    private void giveUp(PeerChannel p) {
        abandon(p);
        p.attempts = 0;
        p.handshakeWanted.set(false); // the next datagram for this peer asks again
    }

    private void abandon(PeerChannel p) {
        if (p.inFlight != null) {
            pending.remove(p.inFlight.localIndex);
            p.inFlight = null;
        }
    }

    private void initiate(PeerChannel p, long now) {
        abandon(p);
        NoiseIKpsk2 hs = NoiseIKpsk2.initiator(HandshakeWire.PROLOGUE, identity.privateKeyForHandshake(),
                p.staticKey, password.psk(), null);
        hs.beginMessage1();
        byte[] payload = new byte[HandshakeWire.INIT_PAYLOAD];
        Tai64n.write(nextTimestamp(), payload, 0);
        System.arraycopy(password.proof(hs.hashBeforePayload()), 0, payload, Tai64n.LENGTH, 32);
        byte[] message1 = hs.finishMessage1(payload);
        int index = allocateIndex();
        p.inFlight = new PeerChannel.Initiation(hs, index, now);
        pending.put(index, p);
        p.attempts++;
        p.nextAttemptNanos = now + backoff(p.attempts);
        if (p.attempts > 3 && p.refusal == Refusal.NONE && p.current == null) {
            p.refusal = Refusal.NO_RESPONSE;
        }
        p.handshakesSent.incrementAndGet();
        byte[] out = HandshakeWire.datagram(HandshakeWire.INIT, self, p.peerId, p.mac1Key,
                HandshakeWire.index(index), message1);
        transport.send(p.peerId, out, 0, out.length);
    }

    /** Wait after attempt {@code n}: rekeyTimeout doubling, capped, plus up to 1/15 of jitter. */
    private long backoff(int n) {
        long base = config.rekeyTimeout().toNanos();
        long wait = Math.min(config.maxRetransmitInterval().toNanos(), base << Math.min(n - 1, 20));
        return wait + (long) (random.nextDouble() * base / 15);
    }

    /** Strictly increasing, so two initiations in the same clock tick still order. */
    private long nextTimestamp() {
        lastTimestamp = Math.max(clock.epochNanos(), lastTimestamp + 1);
        return lastTimestamp;
    }

    private int allocateIndex() {
        while (true) {
            int i = random.nextInt();
            if (i != 0 && !pending.containsKey(i) && manager.session(i) == null) {
                return i;
            }
        }
    }
}
