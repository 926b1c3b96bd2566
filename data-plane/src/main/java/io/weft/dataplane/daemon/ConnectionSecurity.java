package io.weft.dataplane.daemon;

import io.weft.api.v1.LocalConnection;
import io.weft.dataplane.device.Peer;
import io.weft.dataplane.seal.PeerSealStatus;
import io.weft.dataplane.seal.Refusal;
import java.util.concurrent.TimeUnit;

/** The encryption half of a connection's status line: session state, counters, and why it is refused. */
final class ConnectionSecurity {
    /** A mismatch seen this recently still explains a connection that does not work. */
    static final long MISMATCH_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private ConnectionSecurity() {
    }

    static void describe(LocalConnection.Builder c, Peer p, SessionLayer security, String peerName) {
        long seen = p.mismatchNanos();
        boolean mismatch = seen != 0 && System.nanoTime() - seen < MISMATCH_MEMORY_NANOS;
        PeerSealStatus s = security == null ? null : security.status(p.id());
        c.setEncrypted(security != null && security.encrypted());
        if (s != null) {
            c.setSessionEstablished(s.established())
                    .setLastHandshakeUnixMs(s.lastHandshakeEpochMillis())
                    .setHandshakeMicros(s.lastHandshakeNanos() / 1000)
                    .setRekeys(s.rekeys())
                    .setDecryptFailures(s.decryptFailures())
                    .setReplaysDropped(s.replaysDropped());
        }
        if (mismatch) {
            c.setRefusal(p.mismatchPeerEncrypts()
                    ? "peer " + peerName + " encrypts but this host runs plaintext (weft.encryption=off): configure every"
                        + " host alike, all encrypted or all plaintext"
                    : Refusal.ENCRYPTION_MISMATCH.explain(peerName));
        } else if (s != null && s.refusal() != Refusal.NONE) {
            c.setRefusal(s.refusalMessage(peerName));
        }
    }
}
