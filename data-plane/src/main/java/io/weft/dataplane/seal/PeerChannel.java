package io.weft.dataplane.seal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the sealing layer keeps about one peer: its static key, its sessions, the handshake
 * we are running with it, and its counters.
 *
 * <p>Sessions, as in WireGuard: {@code current} seals and opens; {@code previous} (the one current
 * replaced) still opens datagrams that were in flight during a re-key; {@code next} is a session we
 * answered as responder and only start sealing with once the initiator has used it (key
 * confirmation), so a lost response never leaves us sealing with keys the peer does not have. The
 * three references are volatile (read on the data path), changed under the manager's lock.
 *
 * <p>Handshake fields are owned by the handshake worker thread.
 */
final class PeerChannel {
    final int peerId;
    final byte[] staticKey;
    /** mac1 key for datagrams we send to this peer. */
    final byte[] mac1Key;

    volatile TransportSession current;
    volatile TransportSession previous;
    volatile TransportSession next;
    volatile boolean removed;

    /** Set by the data path when it needs a (new) session; cleared by the worker. */
    final AtomicBoolean handshakeWanted = new AtomicBoolean();

    // Worker-owned handshake state.
    Initiation inFlight;
    long firstAttemptNanos;
    int attempts;
    long nextAttemptNanos;
    /** Newest initiation timestamp accepted from this peer (epoch nanos); replays are not newer. */
    long lastAcceptedTimestamp = Long.MIN_VALUE;
    /** When we last sent this peer a rejection (0 = never). */
    long lastRejectNanos;

    // Status.
    volatile Refusal refusal = Refusal.NONE;
    volatile long lastHandshakeEpochMillis;
    volatile long lastHandshakeNanos;
    volatile boolean everEstablished;
    final AtomicLong rekeys = new AtomicLong();
    final LongAdder decryptFailures = new LongAdder();
    final LongAdder replaysDropped = new LongAdder();
    final AtomicLong handshakesSent = new AtomicLong();
    final AtomicLong handshakesReceived = new AtomicLong();
    final AtomicLong handshakesFailed = new AtomicLong();

    PeerChannel(int peerId, byte[] staticKey) {
        this.peerId = peerId;
        this.staticKey = staticKey.clone();
        this.mac1Key = HandshakeWire.mac1Key(this.staticKey);
    }

    PeerSealStatus status(long nowNanos, SealConfig config) {
        TransportSession c = current;
        boolean established = c != null && nowNanos - c.createdNanos < config.rejectAfter().toNanos();
        return new PeerSealStatus(peerId, true, established, lastHandshakeEpochMillis, lastHandshakeNanos,
                rekeys.get(), decryptFailures.sum(), replaysDropped.sum(), handshakesSent.get(),
                handshakesReceived.get(), handshakesFailed.get(), refusal);
    }

    /** A pending initiation: ours, waiting for the peer's response. */
    static final class Initiation {
        final NoiseIKpsk2 handshake;
        final int localIndex;
        final long sentNanos;

        Initiation(NoiseIKpsk2 handshake, int localIndex, long sentNanos) {
            this.handshake = handshake;
            this.localIndex = localIndex;
            this.sentNanos = sentNanos;
        }
    }
}
