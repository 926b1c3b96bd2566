package io.weft.dataplane.seal;

/**
 * Snapshot of one peer's sealing state for {@code status} and metrics.
 *
 * @param peerId               the peer
 * @param encrypted            always true here (the lead reports plaintext peers itself)
 * @param established          a session can seal datagrams to this peer now
 * @param lastHandshakeEpochMillis wall time of the last completed handshake, 0 if none
 * @param lastHandshakeNanos   how long the last handshake we initiated took from first attempt to
 *                             completion (0 if the peer initiated it)
 * @param rekeys               handshakes completed after the first one
 * @param decryptFailures      datagrams that claimed to come from a session with this peer but did
 *                             not authenticate
 * @param replaysDropped       authentic-looking datagrams refused by the replay window
 * @param handshakesSent       initiations sent (retransmissions included)
 * @param handshakesReceived   initiations received that named this peer's key
 * @param handshakesFailed     handshakes that failed (rejected, forged answers, replays, refusals)
 * @param refusal              why the peer is refused, NONE when fine
 */
public record PeerSealStatus(
        int peerId,
        boolean encrypted,
        boolean established,
        long lastHandshakeEpochMillis,
        long lastHandshakeNanos,
        long rekeys,
        long decryptFailures,
        long replaysDropped,
        long handshakesSent,
        long handshakesReceived,
        long handshakesFailed,
        Refusal refusal) {

    /** The sentence for {@code status}, or null when nothing is refused. */
    public String refusalMessage(String peerName) {
        return refusal == Refusal.NONE ? null : refusal.explain(peerName);
    }
}
