package io.weft.dataplane.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partial checksums across the tunnel: segments leave with only the pseudo-header sum, and
 * whichever way the receiver finishes them (NEEDS_CSUM on its TAP, or in software) the container
 * gets exactly the packets a NIC would have produced.
 */
class PartialChecksumTest {
    private static final long MAC_A = 0x02_42_64_40_00_01L;
    private static final long MAC_B = 0x02_42_64_40_00_02L;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int MSS = 1448;

    private static List<byte[]> segmentAll(TsoSegmenter seg, byte[] tapFrame) {
        int n = seg.prepare(tapFrame, 0, tapFrame.length);
        assertTrue(n > 0, () -> "prepare failed: " + TsoSegmenter.reason(n));
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[2000];
        for (int i = 0; i < n; i++) {
            int len = seg.segment(i, buf, 0);
            out.add(Arrays.copyOf(buf, len));
        }
        return out;
    }

    private static byte[] superFrame(int payload, int seed) {
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 40000, 5201, 12345, 777, ACK | PSH, 9, Packets.pattern(payload, seed));
        return Packets.superFrame(frame, MSS);
    }

    @Test
    void partialSegmentsFinishToExactlyWhatANicComputes() {
        byte[] tap = superFrame(10_000, 4);
        TsoSegmenter partial = new TsoSegmenter(true);
        List<byte[]> full = segmentAll(new TsoSegmenter(false), tap.clone());
        List<byte[]> left = segmentAll(partial, tap.clone());
        assertTrue(partial.partialChecksum());
        assertEquals(full.size(), left.size());
        for (int i = 0; i < full.size(); i++) {
            byte[] s = left.get(i);
            assertFalse(Packets.tcpChecksumOk(s, 0), "segment " + i + " leaves without a full checksum");
            assertEquals(Packets.naivePseudo(s, 14, 6, s.length - 34), Packets.u16(s, 34 + 16),
                    "the field holds the pseudo-header sum of this segment's length");
            assertTrue(Packets.ipChecksumOk(s, 0), "the IPv4 header checksum is always complete");
            assertTrue(PartialChecksum.complete(s, 0, s.length));
            assertArrayEquals(full.get(i), s, "finished in software == computed by the segmenter");
        }
    }

    @Test
    void coalescedPartialSegmentsBecomeOneNeedsCsumFrame() {
        byte[] original = Packets.tcpFrame(MAC_B, MAC_A, 40000, 5201, 12345, 777, ACK | PSH, 9, Packets.pattern(20_000, 5));
        byte[] tap = Packets.superFrame(original, MSS);
        List<byte[]> segs = segmentAll(new TsoSegmenter(true), tap);
        GroCoalescer gro = new GroCoalescer();
        FrameBatch out = new FrameBatch(8, VirtioNetHdr.LENGTH + 65_600);
        gro.begin(out);
        for (byte[] s : segs) {
            assertEquals(GroCoalescer.ADDED, gro.add(s, 0, s.length, true), "partial segments are not rejected as corrupt");
        }
        gro.finish();
        assertEquals(1, out.count());
        byte[] merged = Arrays.copyOf(out.buffer(0), out.length(0));
        assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(merged, 0));
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(merged, 0));
        byte[] completed = Arrays.copyOfRange(merged, VirtioNetHdr.LENGTH, merged.length);
        Packets.put16(completed, 34 + 16, ~Packets.naiveSum(completed, 34, completed.length - 34, 0) & 0xFFFF);
        assertArrayEquals(original, completed, "GRO(partial TSO(frame)) == frame once the kernel finishes it");
    }

    @Test
    void aLonePartialFrameIsWrittenWithNeedsCsumAtItsTransportHeader() {
        byte[] tap = superFrame(500, 6); // one segment: nothing to merge with
        List<byte[]> segs = segmentAll(new TsoSegmenter(true), tap);
        assertEquals(1, segs.size());
        GroCoalescer gro = new GroCoalescer();
        FrameBatch out = new FrameBatch(4, 4096);
        gro.begin(out);
        assertEquals(GroCoalescer.ADDED, gro.add(segs.get(0), 0, segs.get(0).length, true));
        gro.finish();
        byte[] w = out.buffer(0);
        assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(w, 0));
        assertEquals(VirtioNetHdr.GSO_NONE, VirtioNetHdr.gsoType(w, 0));
        assertEquals(34, VirtioNetHdr.csumStart(w, 0));
        assertEquals(16, VirtioNetHdr.csumOffset(w, 0));
    }

    @Test
    void aCompleteButCorruptSegmentIsNeverMergedWhileAPartialOneIs() {
        byte[] p = Packets.pattern(MSS, 7);
        byte[] a = Packets.tcpFrame(MAC_B, MAC_A, 1, 80, 0, 9, ACK, 1, p);
        byte[] b = Packets.tcpFrame(MAC_B, MAC_A, 1, 80, MSS, 9, ACK, 2, p);
        b[b.length - 1] ^= 1; // corrupt payload, checksum now wrong
        GroCoalescer gro = new GroCoalescer();
        FrameBatch out = new FrameBatch(8, 65_600);
        gro.begin(out);
        gro.add(a, 0, a.length, false);
        gro.add(b, 0, b.length, false);
        gro.finish();
        assertEquals(2, out.count(), "a segment whose full checksum fails reaches the kernel on its own");
    }

    @Test
    void refusesPartialFlagOnFramesWithoutAFinishableChecksum() {
        byte[] arp = new byte[42];
        Packets.ethernet(arp, -1L >>> 16, MAC_A, 0x0806);
        GroCoalescer gro = new GroCoalescer();
        FrameBatch out = new FrameBatch(4, 4096);
        gro.begin(out);
        assertEquals(GroCoalescer.MALFORMED, gro.add(arp, 0, arp.length, true));
        assertFalse(PartialChecksum.complete(arp, 0, arp.length));
        byte[] tcp = Packets.tcpFrame(MAC_B, MAC_A, 1, 80, 0, 9, ACK, 1, Packets.pattern(100, 1));
        Packets.put16(tcp, 14 + 2, 4000); // IPv4 length beyond the frame
        assertEquals(GroCoalescer.MALFORMED, gro.add(tcp, 0, tcp.length, true));
        assertEquals(0, out.count(), "nothing refused reaches the TAP batch");
    }

    @Test
    void keepsNonGsoNeedsCsumFramesPartialOnlyWhenAsked() {
        byte[] frame = Packets.tcpFrame(MAC_B, MAC_A, 1, 80, 0, 9, ACK, 1, Packets.pattern(300, 8));
        byte[] tap = Packets.superFrame(frame, MSS);
        VirtioNetHdr.write(tap, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0, 34, 16);
        TsoSegmenter partial = new TsoSegmenter(true);
        assertEquals(1, partial.prepare(tap.clone(), 0, tap.length));
        assertTrue(partial.partialChecksum());
        TsoSegmenter full = new TsoSegmenter(false);
        byte[] t2 = tap.clone();
        assertEquals(1, full.prepare(t2, 0, t2.length));
        assertFalse(full.partialChecksum());
        assertArrayEquals(frame, Arrays.copyOfRange(t2, VirtioNetHdr.LENGTH, t2.length), "completed in place");
        // A checksum position the receiver could not derive from the headers stays complete.
        byte[] odd = tap.clone();
        VirtioNetHdr.write(odd, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0, 30, 16);
        partial.prepare(odd, 0, odd.length);
        assertFalse(partial.partialChecksum());
    }
}
