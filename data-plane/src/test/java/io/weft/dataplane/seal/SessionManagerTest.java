package io.weft.dataplane.seal;

import static io.weft.dataplane.seal.SealTestNet.open;
import static io.weft.dataplane.seal.SealTestNet.seal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.seal.SealTestNet.Host;
import io.weft.dataplane.wire.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handshakes and transport between in-memory hosts: what the data path relies on. */
class SessionManagerTest {
    static final NetworkPassword ALPHA = NetworkPassword.of("correct horse battery staple");

    @Test
    void handshakeThenDatagramsBothWays() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);

        assertNull(seal(a, b, "too early"), "no session yet: seal refuses");
        net.pump();
        assertEquals(1, a.established, "the initiator was told its session is ready");

        byte[] ab = seal(a, b, "marker-from-a");
        assertNotNull(ab);
        assertEquals(-1, indexOf(ab, "marker-from-a".getBytes()), "the plaintext is not visible on the wire");
        assertEquals(Header.LENGTH + 12 + 13 + 16, ab.length);
        assertEquals("marker-from-a", open(a, b, ab));
        byte[] ba = seal(b, a, "marker-from-b");
        assertNotNull(ba, "the responder seals once the initiator has used the session");
        assertEquals("marker-from-b", open(b, a, ba));

        PeerSealStatus sa = a.manager.status(b.id);
        assertTrue(sa.encrypted() && sa.established());
        assertEquals(Refusal.NONE, sa.refusal());
        assertEquals(1, sa.handshakesSent());
        assertTrue(sa.lastHandshakeEpochMillis() > 0);
        assertEquals(1, b.manager.status(a.id).handshakesReceived());
    }

    @Test
    void tamperedHeaderPrefixCiphertextOrTagIsRejectedAndCounted() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        byte[] d = seal(a, b, "do not touch");
        // header flags, source peer, a counter byte (an unseen counter: decrypts and fails), receiver
        // index, ciphertext, tag
        int[] positions = {2, 9, Header.LENGTH + 10, Header.LENGTH + 1, Header.LENGTH + 12, d.length - 17, d.length - 1};
        for (int pos : positions) {
            byte[] bad = d.clone();
            bad[pos] ^= 0x01;
            assertNull(open(a, b, bad), "flipped byte " + pos);
        }
        assertNull(open(a, b, java.util.Arrays.copyOf(d, d.length - 1)), "truncated tag");
        assertTrue(b.manager.status(a.id).decryptFailures() >= 5);
        assertEquals("do not touch", open(a, b, d), "failed forgeries did not move the replay window");
        assertNull(open(a, b, d), "but a replay is refused");
        assertEquals(1, b.manager.status(a.id).replaysDropped());
        assertNull(open(b, b, d), "a datagram claiming another sender does not open");
    }

    @Test
    void reorderingWithinTheWindowIsAcceptedDuplicatesAndOldCountersAreNot() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            sealed.add(seal(a, b, "n" + i));
        }
        assertEquals("n4999", open(a, b, sealed.get(4999)));
        assertEquals("n1000", open(a, b, sealed.get(1000)), "3999 behind: inside the window");
        assertEquals("n4000", open(a, b, sealed.get(4000)));
        assertNull(open(a, b, sealed.get(1000)), "duplicate");
        assertNull(open(a, b, sealed.get(100)), "4899 behind: outside the window");
        assertEquals(2, b.manager.status(a.id).replaysDropped());
        assertEquals(0, b.manager.status(a.id).decryptFailures());
    }

    @Test
    void wrongPasswordIsReportedOnBothSidesAndNothingOpens() {
        SealTestNet net = new SealTestNet();
        Host a = net.add(1, ALPHA);
        Host b = net.add(2, NetworkPassword.of("a different password"));
        net.meshAll();
        assertNull(seal(a, b, "x"));
        net.pump();
        assertNull(seal(a, b, "x"), "no session with a wrong password");
        assertEquals(Refusal.WRONG_PASSWORD, a.manager.status(b.id).refusal());
        assertEquals(Refusal.WRONG_PASSWORD, b.manager.status(a.id).refusal());
        assertTrue(a.manager.status(b.id).refusalMessage("h2").startsWith("peer h2 uses a different network password"));
        assertEquals(0, a.established);
        // Retries follow the back-off and keep failing the same way.
        net.clock.advance(Duration.ofSeconds(30));
        assertNull(seal(a, b, "x"));
        net.pump();
        assertEquals(2, a.manager.status(b.id).handshakesSent());
        assertEquals(Refusal.WRONG_PASSWORD, a.manager.status(b.id).refusal());
        assertNull(seal(b, a, "y"));
    }

    @Test
    void aHostWithoutPasswordAndOneWithArePasswordMismatched() {
        SealTestNet net = new SealTestNet();
        Host a = net.add(1, NetworkPassword.none());
        Host b = net.add(2, ALPHA);
        net.meshAll();
        seal(a, b, "x");
        net.pump();
        assertEquals(Refusal.WRONG_PASSWORD, a.manager.status(b.id).refusal());
        assertEquals(Refusal.WRONG_PASSWORD, b.manager.status(a.id).refusal());
    }

    @Test
    void anInitiationFromAKeyTheResponderHasNeverHeardOfIsCountedAndUnanswered() {
        SealTestNet net = new SealTestNet();
        Host a = net.add(1, ALPHA);
        Host b = net.add(2, ALPHA);
        a.manager.setPeer(b.id, b.identity.publicKey()); // b never learned a's key (nor its id)
        seal(a, b, "x");
        net.pump();
        assertEquals(1, b.manager.counters().unknownKeys());
        assertNull(seal(a, b, "x"));
        for (int i = 0; i < 6; i++) { // retransmissions with back-off, all unanswered
            net.clock.advance(Duration.ofSeconds(21));
            seal(a, b, "x");
            net.pump();
        }
        assertTrue(a.manager.status(b.id).handshakesSent() >= 4);
        assertEquals(Refusal.NO_RESPONSE, a.manager.status(b.id).refusal());
    }

    @Test
    void aReinstalledHostWithANewKeyIsUnknownToItsPeerUntilTheKeyPropagates() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        b.manager.setPeer(a.id, LocalIdentity.generate().publicKey()); // b still has a's old key
        seal(a, b, "x");
        net.pump();
        assertEquals(Refusal.UNKNOWN_KEY, a.manager.status(b.id).refusal());
        assertEquals(Refusal.UNKNOWN_KEY, b.manager.status(a.id).refusal());

        b.manager.setPeer(a.id, a.identity.publicKey()); // the control plane catches up
        net.clock.advance(Duration.ofSeconds(30));
        net.connect(a, b);
        assertEquals(Refusal.NONE, a.manager.status(b.id).refusal());
    }

    @Test
    void removePeerStopsSealingAndOpeningAtOnce() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        byte[] inFlight = seal(a, b, "late");
        b.manager.removePeer(a.id);
        assertNull(open(a, b, inFlight));
        assertNull(seal(b, a, "x"));
        assertNull(b.manager.status(a.id));
        a.manager.removePeer(b.id);
        assertNull(seal(a, b, "x"));
    }

    @Test
    void rekeyUnderContinuousTrafficLosesNothing() {
        SealTestNet net = new SealTestNet(SealConfig.DEFAULTS.withMessageLimits(200, 100_000));
        Host a = net.add(1, ALPHA);
        Host b = net.add(2, ALPHA);
        net.meshAll();
        net.connect(a, b);
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        int opened = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] x = seal(a, b, "a" + i);
            byte[] y = seal(b, a, "b" + i);
            assertNotNull(x, "a could not seal datagram " + i);
            assertNotNull(y, "b could not seal datagram " + i);
            toB.add(x);
            toA.add(y);
            if (i % 7 == 6) { // datagrams stay in flight a while, across handshake steps
                for (byte[] d : toB) {
                    assertNotNull(open(a, b, d), "b lost a datagram around " + i);
                    opened++;
                }
                for (byte[] d : toA) {
                    assertNotNull(open(b, a, d), "a lost a datagram around " + i);
                    opened++;
                }
                toB.clear();
                toA.clear();
            }
            if (i % 3 == 0) { // one handshake step (deliver, process) now and then
                net.deliverWire();
                a.manager.runHandshakeWork();
                b.manager.runHandshakeWork();
            }
            if (i % 10 == 0) {
                net.clock.advance(Duration.ofSeconds(1)); // 300 s in all: time-based re-keys too
            }
        }
        assertTrue(opened > 5900);
        long rekeys = a.manager.status(b.id).rekeys() + b.manager.status(a.id).rekeys();
        assertTrue(rekeys >= 10, "re-keys happened: " + rekeys);
        assertEquals(0, a.manager.status(b.id).decryptFailures() + b.manager.status(a.id).decryptFailures());
    }

    /**
     * The data path looks at the byte total every 1024 datagrams and asks for a handshake; the
     * worker must then start it whatever the counter reads by the time it looks (a fast flow has
     * moved past the multiple of 1024 long before): seen as a flow that never re-keyed by volume.
     */
    @Test
    void aVolumeRekeyStartsWhateverTheCounterReadsWhenTheWorkerLooks() {
        SealConfig d = SealConfig.DEFAULTS;
        SealTestNet net = new SealTestNet(new SealConfig(d.rekeyAfter(), d.rejectAfter(), d.rekeyAfterMessages(),
                d.rejectAfterMessages(), 100_000, d.rekeyTimeout(), d.maxRetransmitInterval(), d.rekeyAttemptTime(),
                d.handshakeQueue(), d.perSourceRate(), d.perSourceBurst(), d.globalRate(), d.globalBurst()));
        Host a = net.add(1, ALPHA);
        Host b = net.add(2, ALPHA);
        net.meshAll();
        net.connect(a, b);
        String payload = "v".repeat(100);
        for (int i = 0; i < 1030; i++) { // 103 kB: past the limit at datagram 1024, then a few more
            assertNotNull(seal(a, b, payload), "datagram " + i);
        }
        net.pump();
        assertEquals(1, a.manager.status(b.id).rekeys(), "one re-key after 100 kB");
        assertEquals(payload, open(a, b, seal(a, b, payload)), "the new session carries traffic");
    }

    @Test
    void timeBasedRekeyKeepsTheSessionUsableAndCountsRekeys() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        for (int minute = 0; minute < 10; minute++) {
            net.clock.advance(Duration.ofSeconds(61));
            byte[] d = seal(a, b, "tick" + minute);
            assertNotNull(d, "minute " + minute);
            assertEquals("tick" + minute, open(a, b, d));
            assertNotNull(open(b, a, seal(b, a, "tock" + minute)));
            net.pump();
        }
        assertTrue(a.manager.status(b.id).rekeys() + b.manager.status(a.id).rekeys() >= 4);
    }

    @Test
    void sessionsExpireWithoutTrafficAndAHandshakeRestoresThem() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        byte[] old = seal(a, b, "old");
        net.clock.advance(Duration.ofSeconds(181));
        assertNull(open(a, b, old), "past rejectAfter nothing opens");
        assertNull(seal(a, b, "x"), "nor seals");
        assertTrue(!a.manager.status(b.id).established());
        net.pump();
        net.connect(a, b);
        assertTrue(a.manager.status(b.id).established());
    }

    @Test
    void threeHostsTalkPairwiseAndRemovingOneLeavesTheOthers() {
        SealTestNet net = SealTestNet.meshOf(3, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        Host c = net.host(3);
        net.connect(a, b);
        net.connect(b, c);
        net.connect(c, a);
        Host[] all = {a, b, c};
        for (Host x : all) {
            for (Host y : all) {
                if (x != y) {
                    assertEquals(x.id + ">" + y.id, open(x, y, seal(x, y, x.id + ">" + y.id)));
                }
            }
        }
        byte[] fromAtoC = seal(a, c, "a to c");
        assertNull(open(b, c, fromAtoC), "a datagram for c cannot be passed off as b's");
        c.manager.removePeer(a.id);
        assertNull(open(a, c, fromAtoC));
        assertEquals("b>c", open(b, c, seal(b, c, "b>c")));
        assertEquals(2, a.manager.statuses().size());
    }

    @Test
    void simultaneousInitiationsConvergeOnOneWorkingPair() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        seal(a, b, "x");
        seal(b, a, "y");
        net.pump();
        // Whichever initiation won, each side can seal after at most one datagram from the other.
        byte[] first = seal(a, b, "1");
        if (first == null) {
            assertEquals("2", open(b, a, seal(b, a, "2")));
            first = seal(a, b, "1");
        }
        assertEquals("1", open(a, b, first));
        assertEquals("3", open(b, a, seal(b, a, "3")));
        assertEquals("4", open(a, b, seal(a, b, "4")));
    }

    @Test
    void sealWithoutRoomForTheTagFails() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        byte[] tight = new byte[Header.LENGTH + 12 + 10];
        assertEquals(-1, a.manager.seal(b.id, tight, 0, 10));
        assertNotEquals(-1, a.manager.seal(b.id, new byte[Header.LENGTH + 12 + 10 + 16], 0, 10));
    }

    @Test
    void statusExplainsEveryRefusalWithCauseAndFix() {
        SealTestNet net = SealTestNet.meshOf(2, ALPHA);
        Host a = net.host(1);
        a.manager.recordEncryptionMismatch(2);
        PeerSealStatus s = a.manager.status(2);
        assertEquals(Refusal.ENCRYPTION_MISMATCH, s.refusal());
        assertTrue(s.refusalMessage("h2").startsWith("peer h2 sends unencrypted traffic"));
        for (Refusal r : Refusal.values()) {
            assertTrue(r.explain("h9").contains("h9"), r.name());
        }
        assertNull(net.host(2).manager.status(1).refusalMessage("h1"), "nothing refused, nothing to say");
        assertTrue(a.manager.counters().snapshot().containsKey("handshake_rate_limited"));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
