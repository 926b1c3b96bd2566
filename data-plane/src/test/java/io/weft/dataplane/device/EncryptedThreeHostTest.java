package io.weft.dataplane.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.seal.HandshakeTransport;
import io.weft.dataplane.seal.LocalIdentity;
import io.weft.dataplane.seal.NetworkPassword;
import io.weft.dataplane.seal.PeerSealStatus;
import io.weft.dataplane.seal.SealClock;
import io.weft.dataplane.seal.SealConfig;
import io.weft.dataplane.seal.SessionManager;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole three-host suite again with real sessions: Noise handshakes between the hosts'
 * keys (run on the test thread, driven by the same manual clock), AES-GCM on every frame,
 * heartbeat and keepalive, relays carrying sealed datagrams and handshakes they cannot read.
 */
class EncryptedThreeHostTest extends ThreeHostTest {
    private static final NetworkPassword PASSWORD = NetworkPassword.of("three hosts, one password");
    private static final Map<Integer, LocalIdentity> IDS = Map.of(
            1, LocalIdentity.generate(), 2, LocalIdentity.generate(), 3, LocalIdentity.generate());

    final Map<Integer, SessionManager> managers = new LinkedHashMap<>();
    final SealClock clock = new SealClock() {
        @Override
        public long nanoTime() {
            return time.get();
        }

        @Override
        public long epochNanos() {
            return 1_800_000_000_000_000_000L + time.get();
        }
    };

    @Override
    Sealing sealing(int id) {
        SessionManager m = new SessionManager(id, IDS.get(id), PASSWORD, SealConfig.DEFAULTS, clock, new HandshakeTransport() {
            @Override
            public void send(int peerId, byte[] datagram, int offset, int length) {
                h(id).device.sendHandshake(peerId, datagram, offset, length);
            }

            @Override
            public void sessionEstablished(int peerId) {
                h(id).device.sendKeepalive(peerId);
            }
        });
        IDS.forEach((other, identity) -> {
            if (other != id) {
                m.setPeer(other, identity.publicKey());
            }
        });
        managers.put(id, m);
        return new Sealing(m, m, (peer, buf, off, len, from) -> {
            handshakesSeen.add("from " + peer + " len " + len + " via " + from);
            m.onHandshake(peer, buf, off, len, from);
        }, true);
    }

    @Override
    boolean backgroundWork() {
        int n = 0;
        for (SessionManager m : managers.values()) {
            n += m.runHandshakeWork();
        }
        return n > 0;
    }

    @Override
    int settleRounds() {
        return 3;
    }

    @Test
    void everyPairHasAnEstablishedSessionAndFramesAreSealed() {
        for (int a = 1; a <= 3; a++) {
            for (int b = 1; b <= 3; b++) {
                if (a != b) {
                    PeerSealStatus s = managers.get(a).status(b);
                    assertTrue(s != null && s.established(), "h" + a + " -> h" + b + " session");
                }
            }
        }
        byte[] f = ethernet(mac(2, 1), mac(1, 1), 7);
        byte[] sealed = forge(PacketType.FRAME, BLUE, 1, 2, f);
        assertEquals(Header.LENGTH + 12 + f.length + 16, sealed.length, "12-byte session prefix, 16-byte tag");
        assertEquals(Header.FLAG_SEALED, sealed[2] & Header.FLAG_SEALED);
        h(2).transport.inject(h(1).address, sealed);
        h(2).transport.inject(h(1).address, sealed.clone()); // the same datagram again: a replay
        pump();
        assertEquals(1, h(2).received(BLUE).size(), "delivered once");
        assertEquals(1, managers.get(2).status(1).replaysDropped());

        byte[] tampered = forge(PacketType.FRAME, BLUE, 1, 2, f);
        tampered[tampered.length - 20] ^= 1;
        h(2).transport.inject(h(1).address, tampered);
        pump();
        assertEquals(0, h(2).received(BLUE).size());
        assertEquals(1, managers.get(2).status(1).decryptFailures());
        assertTrue(h(2).drops.get(DropReason.OPEN_FAILED) >= 1);
    }

    @Test
    void aRemovedPeerLosesItsSessionsAtOnce() {
        announce(3, BLUE);
        managers.get(1).removePeer(3);
        h(1).tap(BLUE).inject(ethernet(mac(3, 1), mac(1, 1), 8));
        pump();
        assertEquals(0, h(3).received(BLUE).size(), "nothing sealed for a removed peer");
        assertTrue(h(1).drops.get(DropReason.SEAL_FAILED) >= 1);
    }
}
