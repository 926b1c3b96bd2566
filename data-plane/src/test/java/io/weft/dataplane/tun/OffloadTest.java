package io.weft.dataplane.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.wire.DropReason;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TSO segmenter and GRO coalescer, each checked against handcrafted packets and each other. */
class OffloadTest {
    private static final long MAC_A = 0x02_42_64_40_00_01L;
    private static final long MAC_B = 0x02_42_64_40_00_02L;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;
    private static final int MSS = 1448;
    private static final int HDRS = 14 + 20 + 32;

    private final TsoSegmenter seg = new TsoSegmenter();

    private List<byte[]> segmentAll(byte[] tapFrame) {
        int n = seg.prepare(tapFrame, 0, tapFrame.length);
        assertTrue(n > 0, () -> "prepare failed: " + TsoSegmenter.reason(n));
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[2000 + 7];
        for (int i = 0; i < n; i++) {
            int len = seg.segment(i, buf, 7); // a non-zero offset, as behind an encapsulation header
            assertTrue(len <= seg.maxSegmentLength());
            out.add(Arrays.copyOfRange(buf, 7, 7 + len));
        }
        return out;
    }

    /**
     * A super-frame read into direct memory (only its headers on the heap): segments copied from
     * there, and header-only segments whose payload stays put, are the same bytes as from the heap.
     */
    @Test
    void segmentsFromDirectMemoryAsFromTheHeap() {
        byte[] payload = Packets.pattern(20_000, 3);
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 40000, 5201, 1000, 777, ACK | PSH, 5, payload);
        byte[] tapFrame = Packets.superFrame(frame, MSS);
        List<byte[]> expect = segmentAll(tapFrame);
        for (boolean partial : new boolean[] {false, true}) {
            TsoSegmenter heap = new TsoSegmenter(partial);
            TsoSegmenter direct = new TsoSegmenter(partial);
            FrameBatch batch = FrameBatch.direct(2, LinuxTap.MAX_READ);
            batch.add(new byte[100], 0, 100); // the frame under test is the second slot
            assertTrue(batch.add(tapFrame, 0, tapFrame.length));
            assertTrue(batch.partial(1) && !batch.partial(0));
            int n = heap.prepare(tapFrame, 0, tapFrame.length);
            assertEquals(n, direct.prepare(batch.buffer(1), 0, batch.length(1), batch.direct(), batch.directOffset(1)));
            assertEquals(partial, direct.payloadStaysDirect());
            byte[] a = new byte[2000];
            byte[] b = new byte[2000];
            for (int i = 0; i < n; i++) {
                int la = heap.segment(i, a, 0);
                assertEquals(la, direct.segment(i, b, 0));
                assertArrayEquals(Arrays.copyOf(a, la), Arrays.copyOf(b, la), "segment " + i);
                if (partial) {
                    Arrays.fill(b, (byte) 0);
                    int h = direct.segmentHeaders(i, b, 0);
                    byte[] whole = Arrays.copyOf(b, h + direct.payloadLength(i));
                    batch.direct().get(direct.payloadOffset(i), whole, h, direct.payloadLength(i));
                    assertArrayEquals(Arrays.copyOf(a, la), whole, "header-only segment " + i + " + its payload");
                }
            }
            if (!partial) {
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(expect.get(i), Arrays.copyOf(a, heap.segment(i, a, 0)));
                }
            }
        }
    }

    @Test
    void segmentsSuperFrameLikeANic() {
        byte[] payload = Packets.pattern(10_000, 1);
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 40000, 5201, 0xFFFFF000, 777, ACK | PSH | FIN, 0xFFFE, payload);
        List<byte[]> segs = segmentAll(Packets.superFrame(frame, MSS));
        assertEquals(7, segs.size()); // ceil(10000 / 1448)
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < segs.size(); i++) {
            byte[] s = segs.get(i);
            int expectLen = Math.min(MSS, payload.length - i * MSS);
            assertEquals(HDRS + expectLen, s.length);
            assertEquals(20 + 32 + expectLen, Packets.u16(s, 14 + 2), "IPv4 total length");
            assertEquals((0xFFFE + i) & 0xFFFF, Packets.u16(s, 14 + 4), "IPv4 id advances and wraps");
            assertTrue(Packets.ipChecksumOk(s, 0), "IPv4 header checksum of segment " + i);
            assertTrue(Packets.tcpChecksumOk(s, 0), "TCP checksum of segment " + i);
            assertEquals(0xFFFFF000 + i * MSS, Packets.i32(s, 34 + 4), "sequence number (wrapping)");
            int flags = s[34 + 13] & 0xFF;
            boolean last = i == segs.size() - 1;
            assertEquals(last ? ACK | PSH | FIN : ACK, flags, "FIN/PSH only on the last segment");
            assertEquals(777, Packets.i32(s, 34 + 8));
            joined.write(s, HDRS, expectLen);
        }
        assertArrayEquals(payload, joined.toByteArray());
    }

    @Test
    void coalescesSegmentsBackIntoTheOriginalSuperFrame() {
        coalescesBack(new FrameBatch(8, VirtioNetHdr.LENGTH + 65_600));
        // Built in direct memory, as the daemon writes to its TAPs: the same bytes.
        coalescesBack(FrameBatch.direct(8, VirtioNetHdr.LENGTH + 65_600));
    }

    private void coalescesBack(FrameBatch out) {
        byte[] payload = Packets.pattern(20_000, 2);
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 40000, 5201, 1000, 5, ACK | PSH, 100, payload);
        List<byte[]> segs = segmentAll(Packets.superFrame(frame, MSS));

        GroCoalescer gro = new GroCoalescer();
        gro.begin(out);
        for (int i = 0; i < segs.size(); i++) {
            byte[] s = segs.get(i);
            assertEquals(GroCoalescer.ADDED, gro.add(s, 0, s.length));
            // Open until the sender's last (short, pushed) segment: then it can be written at once.
            assertEquals(i == segs.size() - 1, gro.allClosed(), "after segment " + i);
        }
        gro.finish();
        assertEquals(1, out.count(), "one flow, in order: one super-frame");
        byte[] merged = out.copyOf(0);
        assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(merged, 0));
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(merged, 0));
        assertEquals(MSS, VirtioNetHdr.gsoSize(merged, 0));
        assertEquals(34, VirtioNetHdr.csumStart(merged, 0));
        assertEquals(16, VirtioNetHdr.csumOffset(merged, 0));
        assertEquals(HDRS, VirtioNetHdr.hdrLen(merged, 0));

        // What the kernel (or a NIC) does with NEEDS_CSUM: sum from csum_start, store the inverse.
        byte[] completed = Arrays.copyOfRange(merged, VirtioNetHdr.LENGTH, merged.length);
        int l4 = completed.length - 34;
        assertEquals(Packets.naivePseudo(completed, 14, 6, l4), Packets.u16(completed, 34 + 16),
                "checksum field holds the pseudo-header sum");
        Packets.put16(completed, 34 + 16, ~Packets.naiveSum(completed, 34, l4, 0) & 0xFFFF);
        assertArrayEquals(frame, completed, "GRO(TSO(frame)) == frame");

        // And the coalesced frame is itself a valid TSO frame: segmenting it again gives the same segments.
        List<byte[]> again = segmentAll(merged);
        assertEquals(segs.size(), again.size());
        for (int i = 0; i < segs.size(); i++) {
            assertArrayEquals(segs.get(i), again.get(i), "segment " + i);
        }
    }

    @Test
    void keepsFlowsApartAndRefusesWhatMustNotMerge() {
        GroCoalescer gro = new GroCoalescer();
        FrameBatch out = new FrameBatch(16, VirtioNetHdr.LENGTH + 65_600);
        gro.begin(out);
        byte[] p = Packets.pattern(MSS, 3);
        // Two interleaved flows, two segments each: two groups.
        add(gro, Packets.tcpFrame(MAC_B, MAC_A, 1, 80, 0, 9, ACK, 1, p));
        add(gro, Packets.tcpFrame(MAC_B, MAC_A, 2, 80, 0, 9, ACK, 1, p));
        add(gro, Packets.tcpFrame(MAC_B, MAC_A, 1, 80, MSS, 9, ACK, 2, p));
        add(gro, Packets.tcpFrame(MAC_B, MAC_A, 2, 80, MSS, 9, ACK, 2, p));
        // Out of order for flow 1: a new group.
        add(gro, Packets.tcpFrame(MAC_B, MAC_A, 1, 80, 5 * MSS, 9, ACK, 3, p));
        // Corrupt checksum: never merged, passed on as is for the kernel to drop.
        byte[] bad = Packets.tcpFrame(MAC_B, MAC_A, 1, 80, 6 * MSS, 9, ACK, 4, p);
        bad[bad.length - 1] ^= 1;
        add(gro, bad);
        // Not TCP (an ARP-sized frame): passed through.
        byte[] arp = new byte[42];
        Packets.ethernet(arp, 0xFFFFFFFFFFFFL, MAC_A, 0x0806);
        add(gro, arp);
        // A different ACK number does not merge.
        add(gro, Packets.tcpFrame(MAC_B, MAC_A, 2, 80, 2 * MSS, 10, ACK, 3, p));
        gro.finish();

        assertEquals(6, out.count());
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(out.buffer(0), 0));
        assertEquals(VirtioNetHdr.LENGTH + HDRS + 2 * MSS, out.length(0));
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(out.buffer(1), 0));
        for (int i = 2; i < 6; i++) {
            assertEquals(VirtioNetHdr.GSO_NONE, VirtioNetHdr.gsoType(out.buffer(i), 0), "slot " + i);
            assertEquals(0, VirtioNetHdr.flags(out.buffer(i), 0));
        }
        assertEquals(VirtioNetHdr.LENGTH + bad.length, out.length(3));
        assertEquals(bad[bad.length - 1], out.buffer(3)[out.length(3) - 1], "corrupt segment untouched");
        // The single segments keep their original, valid checksums.
        byte[] single = Arrays.copyOfRange(out.buffer(2), VirtioNetHdr.LENGTH, out.length(2));
        assertTrue(Packets.tcpChecksumOk(single, 0));
    }

    /**
     * Small datagrams of one flow, as the underlay delivers them in a burst: with a TAP that takes
     * UDP GSO they leave as one GSO_UDP_L4 frame, and what the kernel cuts it back into is exactly
     * the datagrams that were sent.
     */
    @Test
    void mergesDatagramsOfOneUdpFlowIntoWhatTheKernelSplitsBack() {
        for (FrameBatch out : new FrameBatch[] {new FrameBatch(4, VirtioNetHdr.LENGTH + 65_600),
                FrameBatch.direct(4, VirtioNetHdr.LENGTH + 65_600)}) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                sent.add(Packets.udpFrame(MAC_B, MAC_A, 40000, 5201, 100 + i, 64, Packets.pattern(i < 8 ? 64 : 20, i)));
            }
            GroCoalescer gro = new GroCoalescer(true);
            gro.begin(out);
            for (int i = 0; i < sent.size(); i++) {
                add(gro, sent.get(i));
                assertEquals(i == sent.size() - 1, gro.allClosed(), "open until a short datagram, after " + i);
            }
            gro.finish();
            assertEquals(1, out.count());
            byte[] merged = out.copyOf(0);
            assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(merged, 0));
            assertEquals(VirtioNetHdr.GSO_UDP_L4, VirtioNetHdr.gsoType(merged, 0));
            assertEquals(64, VirtioNetHdr.gsoSize(merged, 0));
            assertEquals(14 + 20 + 8, VirtioNetHdr.hdrLen(merged, 0));
            assertEquals(34, VirtioNetHdr.csumStart(merged, 0));
            assertEquals(6, VirtioNetHdr.csumOffset(merged, 0));
            byte[] frame = Arrays.copyOfRange(merged, VirtioNetHdr.LENGTH, merged.length);
            assertEquals(28 + 8 * 64 + 20, Packets.u16(frame, 14 + 2), "IPv4 total length of the whole");
            assertTrue(Packets.ipChecksumOk(frame, 0));
            assertEquals(8 + 8 * 64 + 20, Packets.u16(frame, 34 + 4), "UDP length of the whole");
            assertEquals(Packets.naivePseudo(frame, 14, 17, 8 + 8 * 64 + 20), Packets.u16(frame, 34 + 6),
                    "checksum field holds the pseudo-header sum of the whole");
            List<byte[]> split = Packets.splitUdpSuperFrame(merged);
            assertEquals(sent.size(), split.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), split.get(i), "datagram " + i);
            }
        }
    }

    @Test
    void keepsUdpFlowsApartAndRefusesWhatMustNotMerge() {
        byte[] p = Packets.pattern(100, 5);
        FrameBatch out = new FrameBatch(16, VirtioNetHdr.LENGTH + 65_600);
        GroCoalescer tcpOnly = new GroCoalescer();
        tcpOnly.begin(out);
        add(tcpOnly, Packets.udpFrame(MAC_B, MAC_A, 1, 53, 1, 64, p));
        add(tcpOnly, Packets.udpFrame(MAC_B, MAC_A, 1, 53, 2, 64, p));
        assertTrue(tcpOnly.allClosed(), "a TAP without UDP GSO: datagrams are written as they came");
        tcpOnly.finish();
        assertEquals(2, out.count());

        GroCoalescer gro = new GroCoalescer(true);
        gro.begin(out);
        add(gro, Packets.udpFrame(MAC_B, MAC_A, 1, 53, 1, 64, p));
        add(gro, Packets.udpFrame(MAC_B, MAC_A, 2, 53, 1, 64, p)); // another flow: its own group
        add(gro, Packets.udpFrame(MAC_B, MAC_A, 1, 53, 2, 64, p)); // joins group 0
        add(gro, Packets.udpFrame(MAC_B, MAC_A, 2, 53, 2, 63, p)); // other TTL: a new group
        byte[] bad = Packets.udpFrame(MAC_B, MAC_A, 1, 53, 3, 64, p);
        bad[bad.length - 1] ^= 1;
        add(gro, bad); // corrupt: alone, untouched, for the kernel to drop
        byte[] noSum = Packets.udpFrame(MAC_B, MAC_A, 1, 53, 4, 64, p);
        Packets.put16(noSum, 34 + 6, 0);
        add(gro, noSum); // no checksum to verify: merges (and gets one)
        add(gro, Packets.udpFrame(MAC_B, MAC_A, 1, 53, 5, 64, Packets.pattern(101, 5))); // larger: a new group
        gro.finish();
        assertEquals(5, out.count());
        for (int s = 0; s < out.count(); s++) {
            assertEquals(s == 0 ? VirtioNetHdr.GSO_UDP_L4 : VirtioNetHdr.GSO_NONE, VirtioNetHdr.gsoType(out.copyOf(s), 0),
                    "slot " + s);
        }
        assertEquals(VirtioNetHdr.LENGTH + 42 + 3 * 100, out.length(0), "flow 1: its first, second and unchecked datagram");
        byte[] corrupt = out.copyOf(3);
        assertArrayEquals(bad, Arrays.copyOfRange(corrupt, VirtioNetHdr.LENGTH, corrupt.length));
        assertEquals(0, VirtioNetHdr.flags(corrupt, 0), "passed on as it came");
        List<byte[]> split = Packets.splitUdpSuperFrame(out.copyOf(0));
        assertEquals(3, split.size());
        assertTrue(split.stream().allMatch(d -> Packets.udpChecksumOk(d, 0)));
        assertTrue(Packets.udpChecksumOk(Arrays.copyOfRange(out.copyOf(1), VirtioNetHdr.LENGTH, out.length(1)), 0),
                "a datagram alone keeps its own checksum");
    }

    @Test
    void aUdpGroupHoldsAtMostWhatTheKernelTakes() {
        GroCoalescer gro = new GroCoalescer(true);
        FrameBatch out = new FrameBatch(4, VirtioNetHdr.LENGTH + 65_600);
        gro.begin(out);
        for (int i = 0; i < GroCoalescer.MAX_UDP_SEGMENTS + 1; i++) {
            add(gro, Packets.udpFrame(MAC_B, MAC_A, 9, 9, i, 64, Packets.pattern(16, i)));
        }
        gro.finish();
        assertEquals(2, out.count());
        assertEquals(GroCoalescer.MAX_UDP_SEGMENTS, Packets.splitUdpSuperFrame(out.copyOf(0)).size());
        assertEquals(VirtioNetHdr.GSO_NONE, VirtioNetHdr.gsoType(out.copyOf(1), 0), "the 65th alone");
    }

    @Test
    void reportsFullAndTooBig() {
        GroCoalescer gro = new GroCoalescer();
        FrameBatch out = new FrameBatch(1, VirtioNetHdr.LENGTH + 1600);
        gro.begin(out);
        byte[] arp = new byte[42];
        assertEquals(GroCoalescer.ADDED, gro.add(arp, 0, arp.length));
        assertEquals(GroCoalescer.FULL, gro.add(arp, 0, arp.length));
        assertEquals(GroCoalescer.TOO_BIG, gro.add(new byte[1700], 0, 1700));
    }

    private static void add(GroCoalescer gro, byte[] f) {
        assertEquals(GroCoalescer.ADDED, gro.add(f, 0, f.length));
    }

    @Test
    void completesChecksumOfNonGsoFrames() {
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 7, 8, 1, 2, ACK, 3, Packets.pattern(501, 4));
        byte[] tap = Packets.superFrame(frame, 0);
        VirtioNetHdr.write(tap, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0, 34, 16);
        List<byte[]> segs = segmentAll(tap);
        assertEquals(1, segs.size());
        assertArrayEquals(frame, segs.get(0));

        byte[] plain = new byte[VirtioNetHdr.LENGTH + frame.length];
        System.arraycopy(frame, 0, plain, VirtioNetHdr.LENGTH, frame.length);
        assertArrayEquals(frame, segmentAll(plain).get(0), "no flags: passed through unchanged");
    }

    @Test
    void rejectsMalformedSuperFrames() {
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 7, 8, 1, 2, ACK, 3, Packets.pattern(5000, 4));
        byte[] tap = Packets.superFrame(frame, MSS);

        byte[] udp = tap.clone();
        udp[1] = (byte) VirtioNetHdr.GSO_UDP_L4;
        assertEquals(DropReason.UNSUPPORTED_GSO, TsoSegmenter.reason(seg.prepare(udp, 0, udp.length)));

        byte[] noSize = tap.clone();
        VirtioNetHdr.write(noSize, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 0, 0, 34, 16);
        assertEquals(DropReason.BAD_VNET_HDR, TsoSegmenter.reason(seg.prepare(noSize, 0, noSize.length)));

        byte[] wrongStart = tap.clone();
        VirtioNetHdr.write(wrongStart, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 0, MSS, 30, 16);
        assertEquals(DropReason.BAD_VNET_HDR, TsoSegmenter.reason(seg.prepare(wrongStart, 0, wrongStart.length)));

        assertEquals(DropReason.BAD_GSO_PACKET, TsoSegmenter.reason(seg.prepare(tap, 0, VirtioNetHdr.LENGTH + 40)));
        assertEquals(DropReason.RUNT_FRAME, TsoSegmenter.reason(seg.prepare(tap, 0, VirtioNetHdr.LENGTH + 5)));

        byte[] badCsumStart = tap.clone();
        VirtioNetHdr.write(badCsumStart, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0, 60_000, 16);
        assertEquals(DropReason.BAD_VNET_HDR, TsoSegmenter.reason(seg.prepare(badCsumStart, 0, badCsumStart.length)));
    }
}
