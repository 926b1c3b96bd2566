package io.weft.dataplane.seal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Host-wide counters of the sealing layer (per-peer ones live in {@link PeerSealStatus}). */
public final class SealCounters {
    /** Handshake datagrams dropped by the per-source or global rate limit. */
    final LongAdder handshakeRateLimited = new LongAdder();
    /** Handshake datagrams dropped because the worker's queue was full. */
    final LongAdder handshakeQueueFull = new LongAdder();
    /** Handshake datagrams with a bad length, header or MAC: garbage or not for us. */
    final LongAdder handshakeMalformed = new LongAdder();
    /** Handshake datagrams that failed cryptographically or answered nothing we sent. */
    final LongAdder handshakeInvalid = new LongAdder();
    /** Initiations whose timestamp was not newer than the last one accepted (replays). */
    final LongAdder handshakeReplayed = new LongAdder();
    /** Initiations from a static key that is not a member. */
    final LongAdder unknownKeys = new LongAdder();
    /** Rejections not sent because one went to the same peer less than a second before. */
    final LongAdder rejectionsSuppressed = new LongAdder();
    /** Transport datagrams whose receiver index names no session of the claimed peer. */
    final LongAdder unknownSession = new LongAdder();
    /** Transport datagrams too short to carry prefix and tag. */
    final LongAdder truncated = new LongAdder();
    /** seal() calls refused for want of a usable session (the caller drops the datagram). */
    final LongAdder sealWithoutSession = new LongAdder();

    public long handshakeRateLimited() {
        return handshakeRateLimited.sum();
    }

    public long handshakeQueueFull() {
        return handshakeQueueFull.sum();
    }

    public long handshakeMalformed() {
        return handshakeMalformed.sum();
    }

    public long handshakeInvalid() {
        return handshakeInvalid.sum();
    }

    public long handshakeReplayed() {
        return handshakeReplayed.sum();
    }

    public long unknownKeys() {
        return unknownKeys.sum();
    }

    public long rejectionsSuppressed() {
        return rejectionsSuppressed.sum();
    }

    public long unknownSession() {
        return unknownSession.sum();
    }

    public long truncated() {
        return truncated.sum();
    }

    public long sealWithoutSession() {
        return sealWithoutSession.sum();
    }

    /** Name to value, for metrics export. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("handshake_rate_limited", handshakeRateLimited());
        m.put("handshake_queue_full", handshakeQueueFull());
        m.put("handshake_malformed", handshakeMalformed());
        m.put("handshake_invalid", handshakeInvalid());
        m.put("handshake_replayed", handshakeReplayed());
        m.put("unknown_keys", unknownKeys());
        m.put("rejections_suppressed", rejectionsSuppressed());
        m.put("unknown_session", unknownSession());
        m.put("truncated", truncated());
        m.put("seal_without_session", sealWithoutSession());
        return m;
    }
}
