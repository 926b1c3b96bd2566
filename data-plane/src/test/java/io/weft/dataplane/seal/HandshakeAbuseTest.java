package io.weft.dataplane.seal;

import static io.weft.dataplane.seal.SealTestNet.open;
import static io.weft.dataplane.seal.SealTestNet.seal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.seal.SealTestNet.Host;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forged, garbage, replayed and flooding handshake datagrams: dropped, counted, never fatal. */
class HandshakeAbuseTest {
    private static final NetworkPassword PASSWORD = NetworkPassword.none();
    private static final InetSocketAddress ATTACKER = SealTestNet.address(66);

    @Test
    void garbageOfEveryShapeIsDroppedAndCountedAndAHandshakeStillWorks() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        Random r = new Random(42);
        int[] types = {PacketType.HANDSHAKE_INIT, PacketType.HANDSHAKE_RESPONSE, 0, 1, 7, 9, 255};
        int sent = 0;
        for (int type : types) {
            for (int len : new int[] {0, 1, 15, 16, 37, 88, 176, 177, 1500}) {
                byte[] d = new byte[len];
                r.nextBytes(d);
                if (len >= Header.LENGTH) {
                    new Header().wrap(d, 0).write(type, 0, 0, 0, a.id, b.id);
                }
                b.manager.onHandshake(a.id, d, 0, len, SealTestNet.address(100 + sent % 50));
                sent++;
            }
        }
        b.manager.onHandshake(a.id, new byte[10], 5, 20, null); // out of bounds
        b.manager.runHandshakeWork();
        SealCounters c = b.manager.counters();
        assertEquals(sent + 1, c.handshakeMalformed() + c.handshakeInvalid() + c.handshakeRateLimited());
        assertTrue(c.handshakeMalformed() > 0);
        assertEquals(0, b.manager.status(a.id).handshakesReceived(), "no garbage got as far as a peer");

        net.connect(a, b);
        assertEquals("fine", open(a, b, seal(a, b, "fine")));
    }

    @Test
    void aValidInitiationWithOneFlippedByteIsRefused() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        seal(a, b, "x");
        b.manager.runHandshakeWork();
        a.manager.runHandshakeWork(); // a's initiation is now on the wire, undelivered
        byte[] init = (byte[]) net.wire.poll()[1];
        for (int pos = Header.LENGTH; pos < init.length; pos += 7) {
            byte[] bad = init.clone();
            bad[pos] ^= 0x40;
            b.manager.onHandshake(a.id, bad, 0, bad.length, SealTestNet.address(1));
            b.manager.runHandshakeWork();
            net.clock.advance(java.time.Duration.ofSeconds(1)); // stay under the per-source rate
        }
        assertTrue(net.wire.isEmpty(), "b answered none of the corrupted initiations");
        assertNull(b.manager.peer(a.id).next, "and holds no session from them");
    }

    @Test
    void aReplayedInitiationCreatesNoSessionAndIsCounted() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        byte[] captured = null;
        for (Object[] s : net.sent) {
            if ((Integer) s[0] == b.id && ((byte[]) s[1])[1] == PacketType.HANDSHAKE_INIT) {
                captured = (byte[]) s[1];
            }
        }
        TransportSession before = b.manager.peer(a.id).current;
        net.clock.advance(java.time.Duration.ofSeconds(10));
        b.manager.onHandshake(a.id, captured, 0, captured.length, ATTACKER);
        b.manager.runHandshakeWork();
        assertEquals(1, b.manager.counters().handshakeReplayed());
        assertTrue(net.wire.isEmpty(), "no response to a replay");
        assertSame(before, b.manager.peer(a.id).current);
        assertNull(b.manager.peer(a.id).next);
        assertEquals("still fine", open(a, b, seal(a, b, "still fine")));
    }

    @Test
    void forgedResponsesAndRejectionsDoNotDisturbAPendingHandshake() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        seal(a, b, "x");
        a.manager.runHandshakeWork();
        byte[] init = (byte[]) net.wire.peek()[1];
        int index = io.weft.dataplane.wire.Bytes.i32(init, Header.LENGTH);
        // An attacker who knows a's public key (mac1) and the index it saw answers first.
        byte[] mac1Key = HandshakeWire.mac1Key(a.identity.publicKey());
        byte[] junk = new byte[HandshakeWire.RESPONSE_NOISE];
        new Random(1).nextBytes(junk);
        byte[] forged = HandshakeWire.datagram(HandshakeWire.RESPONSE, b.id, a.id, mac1Key,
                HandshakeWire.index(77), HandshakeWire.index(index), junk);
        byte[] reject = HandshakeWire.datagram(HandshakeWire.REJECT, b.id, a.id, null, HandshakeWire.index(index),
                new byte[17]);
        a.manager.onHandshake(b.id, forged, 0, forged.length, ATTACKER);
        a.manager.onHandshake(b.id, reject, 0, reject.length, ATTACKER);
        a.manager.runHandshakeWork();
        assertEquals(2, a.manager.counters().handshakeInvalid());
        assertEquals(Refusal.NONE, a.manager.status(b.id).refusal(), "a forged rejection is not believed");
        net.pump(); // the genuine answer still completes the handshake
        assertEquals("ok", open(a, b, seal(a, b, "ok")));
    }

    @Test
    void aFloodOfInitiationsIsRateLimitedWhileALegitimatePeerCompletes() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        // The attacker knows b's public key, so its initiations even carry a valid mac1.
        LocalIdentity attacker = LocalIdentity.generate();
        byte[] flood = forgedInitiation(attacker, a, b);
        int floodSize = 5000;
        for (int i = 0; i < floodSize; i++) {
            b.manager.onHandshake(a.id, flood, 0, flood.length, ATTACKER);
        }
        seal(a, b, "x"); // a legitimate initiation arrives in the middle of the flood
        net.pump();
        for (int i = 0; i < floodSize; i++) {
            b.manager.onHandshake(a.id, flood, 0, flood.length, ATTACKER);
        }
        net.pump();
        SealCounters c = b.manager.counters();
        assertTrue(c.handshakeRateLimited() >= 2 * floodSize - SealConfig.DEFAULTS.perSourceBurst(),
                "rate-limited: " + c.handshakeRateLimited());
        assertTrue(c.unknownKeys() <= SealConfig.DEFAULTS.perSourceBurst(), "DH work done for the flood is bounded");
        assertEquals("through the flood", open(a, b, seal(a, b, "through the flood")));
        assertEquals(Refusal.NONE, b.manager.status(a.id).refusal(), "forged claims do not taint a working peer");
    }

    @Test
    void aFloodFromManySourcesIsBoundedByTheQueueAndTheGlobalBudget() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        byte[] flood = forgedInitiation(LocalIdentity.generate(), a, b);
        for (int i = 0; i < 2000; i++) {
            b.manager.onHandshake(a.id, flood, 0, flood.length, SealTestNet.address(i % 250));
        }
        b.manager.runHandshakeWork();
        SealCounters c = b.manager.counters();
        assertTrue(c.handshakeQueueFull() > 0, "the queue is bounded");
        assertTrue(c.unknownKeys() <= SealConfig.DEFAULTS.globalBurst(), "DH work is bounded by the global budget");
        net.clock.advance(java.time.Duration.ofSeconds(1)); // budgets refill; the legitimate peer gets through
        net.connect(a, b);
    }

    /** An initiation from a key b does not know, claiming to be {@code a}, with a valid mac1 for b. */
    private static byte[] forgedInitiation(LocalIdentity attacker, Host a, Host b) {
        NoiseIKpsk2 hs = NoiseIKpsk2.initiator(HandshakeWire.PROLOGUE, attacker.privateKeyForHandshake(),
                b.identity.publicKey(), PASSWORD.psk(), null);
        byte[] m1 = hs.writeMessage1(new byte[HandshakeWire.INIT_PAYLOAD]);
        return HandshakeWire.datagram(HandshakeWire.INIT, a.id, b.id, HandshakeWire.mac1Key(b.identity.publicKey()),
                HandshakeWire.index(5), m1);
    }

    @Test
    void datagramsOfAnotherHostsSessionIndexDoNotOpen() {
        SealTestNet net = SealTestNet.meshOf(2, PASSWORD);
        Host a = net.host(1);
        Host b = net.host(2);
        net.connect(a, b);
        byte[] d = seal(a, b, "x");
        byte[] unknown = d.clone();
        Arrays.fill(unknown, Header.LENGTH, Header.LENGTH + 4, (byte) 0);
        assertNull(open(a, b, unknown));
        assertEquals(1, b.manager.counters().unknownSession());
    }
}
