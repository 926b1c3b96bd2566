package io.weft.dataplane.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.conn.MemoryNetwork;
import io.weft.dataplane.conn.MemoryTransport;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.tun.FrameBatch;
import io.weft.dataplane.tun.LinuxTap;
import io.weft.dataplane.tun.MemoryTap;
import io.weft.dataplane.tun.Packets;
import io.weft.dataplane.tun.VirtioNetHdr;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three simulated hosts in one JVM (MemoryTransport + MemoryTap each), driven deterministically:
 * a manual clock, explicit ticks, and delivery until every queue is empty. Network "blue"
 * (isolation id 100) spans h1, h2, h3; network "red" (200) only h1 and h2. h1 and h3 use TAPs with
 * a virtio_net_hdr (offloads; h3's also takes UDP super-frames, as on Linux 6.2+), h2 a plain TAP,
 * so every path is exercised. A tiny stand-in for the
 * control plane passes each host's link changes to the others, as LinkReports would.
 */
class ThreeHostTest {
    static final int BLUE = 100;
    static final int RED = 200;
    static final long INTERVAL = 1_000_000_000L;
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    final AtomicLong time = new AtomicLong(1_000_000_000L);
    final MemoryNetwork underlay = new MemoryNetwork();
    final List<Host> hosts = new ArrayList<>();
    /** What the session layer of an encrypting host was handed (see {@link SealedThreeHostTest}). */
    final List<String> handshakesSeen = new ArrayList<>();

    final class Host {
        final int id;
        final InetSocketAddress address;
        final MemoryTransport transport;
        final DropCounters drops = new DropCounters();
        final Device device;
        final Sealing sealing;
        /** Drops during set-up (e.g. heartbeats before the first handshakes), not the test's. */
        long dropsAtStart;
        final Map<Integer, MemoryTap> taps = new LinkedHashMap<>();
        /** Direct, as the daemon's TAP readers use (plaintext payload stays there; see TapPath). */
        FrameBatch readBatch = FrameBatch.direct(16, LinuxTap.MAX_READ);

        Host(int id, boolean vnet, int... networks) throws Exception {
            this.id = id;
            this.address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) id}), 6783);
            this.transport = underlay.attach(address);
            this.sealing = sealing(id);
            this.device = new Device(id, DeviceConfig.defaults().withHeartbeat(INTERVAL, 3), transport,
                    sealing, time::get, drops);
            for (int n : networks) {
                MemoryTap tap = new MemoryTap("h" + id + "-" + n, vnet, 4096, vnet && id == 3);
                taps.put(n, tap);
                device.addNetwork(n, tap);
            }
            device.start();
        }

        MemoryTap tap(int network) {
            return taps.get(network);
        }

        /** Frames the TAP of {@code network} received, as plain Ethernet (vnet header checked and removed). */
        List<byte[]> received(int network) {
            MemoryTap tap = tap(network);
            List<byte[]> out = new ArrayList<>();
            for (byte[] f : tap.drainWritten()) {
                if (tap.vnetHeader() && VirtioNetHdr.gsoType(f, 0) == VirtioNetHdr.GSO_UDP_L4) {
                    assertTrue(tap.acceptsUdpGso(), "a UDP super-frame only to a TAP that takes them");
                    out.addAll(Packets.splitUdpSuperFrame(f));
                } else if (tap.vnetHeader()) {
                    out.add(completeOffloads(f));
                } else {
                    out.add(f);
                }
            }
            return out;
        }
    }

    /** Plays the kernel's part for a frame written with a virtio_net_hdr: finish a pending checksum. */
    static byte[] completeOffloads(byte[] f) {
        byte[] frame = Arrays.copyOfRange(f, VirtioNetHdr.LENGTH, f.length);
        if ((VirtioNetHdr.flags(f, 0) & VirtioNetHdr.FLAG_NEEDS_CSUM) != 0) {
            int start = VirtioNetHdr.csumStart(f, 0);
            int field = start + VirtioNetHdr.csumOffset(f, 0);
            Packets.put16(frame, field, ~Packets.naiveSum(frame, start, frame.length - start, 0) & 0xFFFF);
        } else {
            assertEquals(VirtioNetHdr.GSO_NONE, VirtioNetHdr.gsoType(f, 0));
        }
        return frame;
    }

    static long mac(int host, int n) {
        return 0x02_00_00_00_00_00L | ((long) host << 8) | n;
    }

    static byte[] ethernet(long dst, long src, int seed) {
        byte[] f = new byte[60];
        Packets.ethernet(f, dst, src, 0x88B5); // local experimental ethertype: payload is opaque
        for (int i = 14; i < f.length; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }

    /**
     * The sealing seam under test for host {@code id}; {@link SealedThreeHostTest} swaps in a toy
     * sealer, {@link EncryptedThreeHostTest} real sessions.
     */
    Sealing sealing(int id) {
        return Sealing.plaintext();
    }

    /** The sealer host {@code id} seals with (for forging datagrams as it would send them). */
    PacketSealer sealerOf(int id) {
        return h(id).sealing.sealer();
    }

    /** Work besides TAPs and the underlay that {@link #pump} must run (e.g. handshakes); true if it did any. */
    boolean backgroundWork() {
        return false;
    }

    /** Heartbeat intervals until every link is up at the start (handshakes take some). */
    int settleRounds() {
        return 1;
    }

    /** A datagram as a peer would build it: header, then the payload sealed with the test's sealer. */
    byte[] forge(int type, int isolationId, int src, int dst, byte[] payload) {
        PacketSealer s = sealerOf(src);
        byte[] d = new byte[Header.LENGTH + s.prefixLength() + payload.length + s.suffixLength()];
        int flags = h(src).device.encrypted() ? Header.FLAG_SEALED : 0;
        new Header().wrap(d, 0).write(type, flags, 0, isolationId, src, dst);
        System.arraycopy(payload, 0, d, Header.LENGTH + s.prefixLength(), payload.length);
        int len = s.seal(dst, d, 0, payload.length);
        return Arrays.copyOf(d, len);
    }

    Host h(int id) {
        return hosts.get(id - 1);
    }

    static long newDrops(Host h) {
        return h.drops.total() - h.dropsAtStart;
    }

    @BeforeEach
    void setUp() throws Exception {
        hosts.add(new Host(1, true, BLUE, RED));
        hosts.add(new Host(2, false, BLUE, RED));
        hosts.add(new Host(3, true, BLUE));
        for (Host a : hosts) {
            for (Host b : hosts) {
                if (a != b) {
                    a.device.upsertPeer(b.id, b.address);
                }
            }
            a.device.setNetworkMembers(BLUE, new int[] {1, 2, 3});
            a.device.setNetworkMembers(RED, new int[] {1, 2});
            final Host reporter = a;
            a.device.setLinkListener((peer, status, via, rtt) -> {
                for (Host other : hosts) {
                    other.device.reportLink(reporter.id, peer, status == LinkStatus.ESTABLISHED);
                }
            });
        }
        for (int i = 0; i < settleRounds(); i++) {
            settle();
        }
        for (Host a : hosts) {
            for (Host b : hosts) {
                if (a != b) {
                    assertTrue(a.device.peer(b.id).directUp(), a.id + "->" + b.id + " up after the first heartbeats");
                    assertEquals(b.id, a.device.peer(b.id).nextHopId());
                }
            }
        }
        for (Host a : hosts) {
            a.dropsAtStart = a.drops.total();
        }
    }

    /** Reads every TAP, forwards, delivers everything queued; repeats until quiet. */
    void pump() {
        boolean again = true;
        while (again) {
            again = false;
            for (Host host : hosts) {
                for (Map.Entry<Integer, MemoryTap> e : host.taps.entrySet()) {
                    while (e.getValue().read(host.readBatch, 0) > 0) {
                        host.device.fromTap(e.getKey(), host.readBatch);
                        again = true;
                    }
                }
            }
            if (underlay.deliverAll() > 0) {
                again = true;
            }
            if (backgroundWork()) {
                again = true;
            }
        }
    }

    /** One heartbeat interval: tick everyone, deliver probes and answers, tick again to apply. */
    void settle() {
        time.addAndGet(INTERVAL);
        for (Host host : hosts) {
            host.device.tick();
        }
        pump();
        for (Host host : hosts) {
            host.device.tick();
        }
        pump();
    }

    void assertNothingReceived(Host host) {
        for (int n : host.taps.keySet()) {
            assertEquals(0, host.tap(n).drainWritten().size(), "h" + host.id + " network " + n + " got nothing");
        }
    }

    /** h1 broadcasts once so everyone learns where its MAC lives (as ARP would). */
    void announce(int host, int network) {
        h(host).tap(network).inject(ethernet(BROADCAST, mac(host, 1), host));
        pump();
        for (Host other : hosts) {
            other.taps.values().forEach(MemoryTap::drainWritten);
        }
    }

    @Test
    void unicastReachesExactlyTheOwner() {
        announce(1, BLUE);
        byte[] f = ethernet(mac(1, 1), mac(2, 1), 7);
        h(2).tap(BLUE).inject(f);
        pump();
        List<byte[]> got = h(1).received(BLUE);
        assertEquals(1, got.size());
        assertArrayEquals(f, got.get(0));
        assertNothingReceived(h(3));
        assertNothingReceived(h(2));
        assertNothingReceived(h(1));

        // h1 learned mac(2,1) from that frame: its answer goes to h2 only, without flooding.
        long floods = h(1).device.counters().floodedFrames.sum();
        byte[] answer = ethernet(mac(2, 1), mac(1, 1), 8);
        h(1).tap(BLUE).inject(answer);
        pump();
        assertEquals(floods, h(1).device.counters().floodedFrames.sum());
        assertArrayEquals(answer, h(2).received(BLUE).get(0));
        assertNothingReceived(h(3));

        // A static entry from the control plane is used before any traffic from that MAC.
        h(1).device.putStaticMac(BLUE, mac(3, 9), 3);
        byte[] toStatic = ethernet(mac(3, 9), mac(1, 1), 9);
        h(1).tap(BLUE).inject(toStatic);
        pump();
        assertEquals(floods, h(1).device.counters().floodedFrames.sum());
        assertEquals(1, h(3).received(BLUE).size());
        assertNothingReceived(h(2));
    }

    @Test
    void broadcastReachesEveryOtherHostExactlyOnce() {
        long sentBefore = h(1).device.counters().datagramsSent.sum();
        long sent2 = h(2).device.counters().datagramsSent.sum();
        long sent3 = h(3).device.counters().datagramsSent.sum();
        byte[] b = ethernet(BROADCAST, mac(1, 1), 3);
        h(1).tap(BLUE).inject(b);
        pump();
        List<byte[]> at2 = h(2).received(BLUE);
        List<byte[]> at3 = h(3).received(BLUE);
        assertEquals(1, at2.size());
        assertEquals(1, at3.size());
        assertArrayEquals(b, at2.get(0));
        assertArrayEquals(b, at3.get(0));
        assertNothingReceived(h(1));
        assertEquals(2, h(1).device.counters().datagramsSent.sum() - sentBefore, "one datagram per other host");
        assertEquals(sent2, h(2).device.counters().datagramsSent.sum(), "receivers never re-flood");
        assertEquals(sent3, h(3).device.counters().datagramsSent.sum(), "receivers never re-flood");

        // Unknown unicast floods the same way.
        h(3).tap(BLUE).inject(ethernet(mac(9, 9), mac(3, 1), 4));
        pump();
        assertEquals(1, h(1).received(BLUE).size());
        assertEquals(1, h(2).received(BLUE).size());
        assertNothingReceived(h(3));
    }

    @Test
    void refusesTheOtherEncryptionSettingAndRemembersWhoUsedIt() {
        boolean encrypted = h(2).device.encrypted();
        byte[] d = forge(PacketType.FRAME, BLUE, 1, 2, ethernet(mac(2, 1), mac(1, 1), 9));
        d[2] ^= Header.FLAG_SEALED; // what a host with the other setting would send
        h(2).transport.inject(h(1).address, d);
        pump();
        assertNothingReceived(h(2));
        assertEquals(1, h(2).drops.get(DropReason.ENCRYPTION_MISMATCH));
        Peer p = h(2).device.peer(1);
        assertTrue(p.mismatchNanos() != 0, "status can tell which peer disagreed");
        assertEquals(!encrypted, p.mismatchPeerEncrypts());
        assertEquals(0, h(3).device.peer(1).mismatchNanos());
    }

    @Test
    void handshakesReachTheSessionLayerEvenThroughARelay() {
        handshakesSeen.clear();
        byte[] hs = new byte[Header.LENGTH + 40];
        new Header().wrap(hs, 0).write(PacketType.HANDSHAKE_INIT, 0, 0, 0, 1, 3);
        h(1).device.sendHandshake(3, hs, 0, hs.length);
        pump();
        underlay.cut(h(1).address, h(3).address);
        for (int i = 0; i < 5; i++) {
            settle();
        }
        assertEquals(2, h(1).device.peer(3).nextHopId(), "h1 reaches h3 through h2 now");
        h(1).device.sendHandshake(3, hs, 0, hs.length);
        pump();
        if (h(3).device.encrypted()) {
            assertEquals(List.of("from 1 len " + hs.length + " via " + h(1).address, "from 1 len " + hs.length + " via " + h(2).address),
                    handshakesSeen, "direct, then relayed by h2");
        } else {
            assertEquals(2, h(3).drops.get(DropReason.ENCRYPTION_MISMATCH), "a plaintext host refuses key exchanges");
            assertTrue(h(3).device.peer(1).mismatchPeerEncrypts());
        }
    }

    @Test
    void framesNeverCrossNetworks() {
        byte[] b = ethernet(BROADCAST, mac(1, 2), 5);
        h(1).tap(RED).inject(b);
        pump();
        assertEquals(1, h(2).received(RED).size());
        assertEquals(0, h(2).received(BLUE).size(), "red frame not in blue");
        assertNothingReceived(h(3));
        assertNothingReceived(h(1));

        // A forged red frame sent to h3, which has no red network: dropped.
        byte[] forged = forge(PacketType.FRAME, RED, 1, 3, b);
        h(3).transport.inject(h(1).address, forged);
        // And one from h3 in red, to h2: h3 is not a red member.
        byte[] notMember = forge(PacketType.FRAME, RED, 3, 2, b);
        h(2).transport.inject(h(3).address, notMember);
        pump();
        assertNothingReceived(h(3));
        assertNothingReceived(h(2));
        assertEquals(1, h(3).drops.get(DropReason.UNKNOWN_NETWORK));
        assertEquals(1, h(2).drops.get(DropReason.NOT_MEMBER));
    }

    @Test
    void relaysAroundACutAndReturnsToDirect() {
        announce(1, BLUE);
        announce(3, BLUE);
        underlay.cut(h(1).address, h(3).address);
        for (int i = 0; i < 5; i++) {
            settle();
        }
        Peer p3 = h(1).device.peer(3);
        assertTrue(!p3.directUp(), "h1 sees the direct link to h3 down");
        assertEquals(2, p3.nextHopId(), "h1 routes to h3 through h2");
        assertEquals(2, h(3).device.peer(1).nextHopId(), "and h3 to h1");

        byte[] f = ethernet(mac(3, 1), mac(1, 1), 11);
        long relayed = h(2).device.counters().relayedThrough.sum();
        h(1).tap(BLUE).inject(f);
        pump();
        List<byte[]> got = h(3).received(BLUE);
        assertEquals(1, got.size());
        assertArrayEquals(f, got.get(0));
        assertNothingReceived(h(2));
        assertEquals(relayed + 1, h(2).device.counters().relayedThrough.sum());

        byte[] back = ethernet(mac(1, 1), mac(3, 1), 12);
        h(3).tap(BLUE).inject(back);
        pump();
        assertArrayEquals(back, h(1).received(BLUE).get(0));

        // Broadcast during the cut: still exactly once each (h3's copy goes through h2).
        h(1).tap(BLUE).inject(ethernet(BROADCAST, mac(1, 1), 13));
        pump();
        assertEquals(1, h(2).received(BLUE).size());
        assertEquals(1, h(3).received(BLUE).size());

        underlay.heal(h(1).address, h(3).address);
        settle();
        assertTrue(p3.directUp());
        assertEquals(3, p3.nextHopId(), "back to direct");
        long relayedOut = h(1).device.counters().relayedOut.sum();
        h(1).tap(BLUE).inject(f);
        pump();
        assertEquals(1, h(3).received(BLUE).size());
        assertEquals(relayedOut, h(1).device.counters().relayedOut.sum(), "no longer relayed");
        assertEquals(0, newDrops(h(1)) + newDrops(h(2)) + newDrops(h(3)),
                "nothing dropped along the way: " + h(1).drops + h(2).drops + h(3).drops);
    }

    @Test
    void downWhenNobodyRelays() {
        underlay.cut(h(1).address, h(3).address);
        underlay.cut(h(2).address, h(3).address);
        for (int i = 0; i < 5; i++) {
            settle();
        }
        assertEquals(0, h(1).device.peer(3).nextHopId());
        h(1).device.putStaticMac(BLUE, mac(3, 1), 3);
        h(1).tap(BLUE).inject(ethernet(mac(3, 1), mac(1, 1), 1));
        pump();
        assertEquals(1, h(1).drops.get(DropReason.NO_ROUTE));
    }

    @Test
    void tcpSuperFramesCrossSegmentedAndArriveCoalesced() throws Exception {
        announce(3, BLUE);
        announce(2, BLUE);
        superFramesCross(0);
        // The same from a heap-only read batch (a TAP reader without direct memory).
        for (Host h : hosts) {
            h.readBatch = new FrameBatch(16, LinuxTap.MAX_READ);
        }
        superFramesCross(2);
    }

    private void superFramesCross(int portOffset) throws Exception {
        byte[] payload = Packets.pattern(30_000, 9 + portOffset);
        byte[] frame = Packets.tcpFrame(mac(3, 1), mac(1, 1), 40000 + portOffset, 5201, 123, 456, 0x18, 1, payload);
        h(1).tap(BLUE).injectRaw(Packets.superFrame(frame, 1448));
        pump();
        List<byte[]> got = h(3).received(BLUE);
        assertEquals(1, got.size(), "h3's TAP takes the flow as one coalesced super-frame");
        assertArrayEquals(frame, got.get(0));

        // To h2's plain TAP: MTU-sized segments, each with valid checksums, payload intact.
        byte[] toH2 = Packets.tcpFrame(mac(2, 1), mac(1, 1), 40001 + portOffset, 5201, 0, 0, 0x18, 1, payload);
        h(1).tap(BLUE).injectRaw(Packets.superFrame(toH2, 1448));
        pump();
        List<byte[]> segs = h(2).received(BLUE);
        assertEquals(21, segs.size());
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (byte[] s : segs) {
            assertTrue(Packets.ipChecksumOk(s, 0) && Packets.tcpChecksumOk(s, 0));
            joined.write(s, 66, s.length - 66);
        }
        assertArrayEquals(payload, joined.toByteArray());
    }

    /**
     * A burst of datagrams of one UDP flow: h3's TAP (UDP GSO) takes it as one super-frame that the
     * kernel's split turns back into exactly what was sent; h2's plain TAP datagram by datagram.
     */
    @Test
    void udpBurstsArriveMergedWhereTheTapTakesThem() {
        announce(3, BLUE);
        announce(2, BLUE);
        for (int to : new int[] {3, 2}) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] f = Packets.udpFrame(mac(to, 1), mac(1, 1), 5000, 53, i, 64, Packets.pattern(i == 19 ? 10 : 200, i + to));
                sent.add(f);
                assertTrue(h(1).tap(BLUE).inject(f));
            }
            pump();
            List<byte[]> written = h(to).tap(BLUE).drainWritten();
            if (to == 3) {
                assertEquals(1, written.size(), "one write for the burst");
                assertEquals(VirtioNetHdr.GSO_UDP_L4, VirtioNetHdr.gsoType(written.get(0), 0));
                List<byte[]> split = Packets.splitUdpSuperFrame(written.get(0));
                assertEquals(sent.size(), split.size());
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), split.get(i), "datagram " + i);
                }
            } else {
                assertEquals(sent.size(), written.size());
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), written.get(i), "datagram " + i);
                }
            }
        }
        assertEquals(0, newDrops(h(1)) + newDrops(h(2)) + newDrops(h(3)));
    }

    @Test
    void garbageIsCountedAndTrafficGoesOn() throws Exception {
        announce(1, BLUE);
        Random rnd = new Random(42);
        InetSocketAddress attacker = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 19, 0, 99}), 6783);
        long before = h(2).drops.total();
        int total = 100_000;
        for (int sent = 0; sent < total; ) {
            for (int k = 0; k < 10_000; k++, sent++) {
                byte[] d = new byte[rnd.nextInt(200)];
                rnd.nextBytes(d);
                if (d.length > 0 && sent % 4 == 0) {
                    d[0] = 1; // right version: exercise the checks after it
                }
                if (d.length >= Header.LENGTH && sent % 8 == 0) {
                    new Header().wrap(d, 0).write(1 + rnd.nextInt(4), 0, rnd.nextInt(3), rnd.nextInt(2) * RED, 77, 2);
                }
                assertTrue(h(2).transport.inject(attacker, d));
            }
            pump();
        }
        assertEquals(total, h(2).drops.total() - before, "every garbage datagram dropped and counted once: " + h(2).drops);
        assertTrue(h(2).drops.get(DropReason.TRUNCATED) > 0);
        assertTrue(h(2).drops.get(DropReason.BAD_VERSION) > 0);
        assertTrue(h(2).drops.get(DropReason.UNKNOWN_PEER) > 0);
        assertNothingReceived(h(2));

        // Specific malformed datagrams from a known peer.
        Header hd = new Header();
        byte[] ttl1 = new byte[Header.LENGTH * 2];
        hd.wrap(ttl1, 0).write(PacketType.RELAY, 0, 1, 0, 1, 3);
        byte[] badRelay = new byte[Header.LENGTH * 2 + 14];
        hd.wrap(badRelay, 0).write(PacketType.RELAY, 0, 3, 0, 1, 2);
        hd.wrap(badRelay, Header.LENGTH).write(PacketType.FRAME, 0, 0, BLUE, 3, 2); // inner source differs
        byte[] misdirected = new byte[Header.LENGTH + 60];
        hd.wrap(misdirected, 0).write(PacketType.FRAME, 0, 0, BLUE, 1, 3);
        byte[] runt = forge(PacketType.FRAME, BLUE, 1, 2, new byte[5]);
        byte[] self = new byte[Header.LENGTH + 60];
        hd.wrap(self, 0).write(PacketType.FRAME, 0, 0, BLUE, 2, 2);
        for (byte[] d : List.of(ttl1, badRelay, misdirected, runt, self)) {
            h(2).transport.inject(h(1).address, d);
        }
        pump();
        assertEquals(1, h(2).drops.get(DropReason.TTL_EXCEEDED));
        assertEquals(1, h(2).drops.get(DropReason.BAD_RELAY));
        assertEquals(1, h(2).drops.get(DropReason.MISDIRECTED));
        assertEquals(1, h(2).drops.get(DropReason.RUNT_FRAME));
        assertEquals(1, h(2).drops.get(DropReason.FROM_SELF));
        assertNothingReceived(h(2));

        // Traffic is unaffected.
        byte[] f = ethernet(mac(1, 1), mac(2, 1), 1);
        h(2).tap(BLUE).inject(f);
        pump();
        assertArrayEquals(f, h(1).received(BLUE).get(0));
        settle();
        assertTrue(h(2).device.peer(1).directUp());
    }
}
