package io.weft.dataplane.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    @Test
    void matchesNaiveImplementationForAllShapes() {
        Random rnd = new Random(7);
        byte[] b = new byte[70_000];
        rnd.nextBytes(b);
        for (int len = 0; len < 300; len++) {
            for (int off = 0; off < 9; off++) {
                int expect = ~Packets.naiveSum(b, off, len, 0) & 0xFFFF;
                assertEquals(expect, Checksum.compute(b, off, len), "len " + len + " off " + off);
            }
        }
        for (int i = 0; i < 50; i++) {
            int len = rnd.nextInt(65_536);
            int off = rnd.nextInt(64);
            assertEquals(~Packets.naiveSum(b, off, len, 0) & 0xFFFF, Checksum.compute(b, off, len));
        }
        byte[] ff = new byte[65_536];
        java.util.Arrays.fill(ff, (byte) 0xFF); // worst case for carries
        assertEquals(~Packets.naiveSum(ff, 0, ff.length, 0) & 0xFFFF, Checksum.compute(ff, 0, ff.length));
    }

    @Test
    void partialSumsCompose() {
        byte[] b = Packets.pattern(1001, 3);
        long a = Checksum.add(b, 0, 500, 0);
        assertEquals(Checksum.compute(b, 0, 1001), Checksum.finish(Checksum.add(b, 500, 501, a)));
    }

    @Test
    void ipv4HeaderHelpers() {
        byte[] f = Packets.tcpFrame(1, 2, 1000, 2000, 5, 6, 0x10, 9, new byte[10]);
        assertTrue(Checksum.ipv4HeaderValid(f, 14, 20));
        f[14 + 8] = 3;
        assertTrue(!Checksum.ipv4HeaderValid(f, 14, 20));
        Checksum.fixIpv4Header(f, 14, 20);
        assertTrue(Packets.ipChecksumOk(f, 0));
        assertEquals(Packets.naivePseudo(f, 14, 6, 42), Checksum.fold(Checksum.pseudoHeaderV4(f, 14, 6, 42)));
    }
}
