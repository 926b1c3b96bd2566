package io.weft.dataplane.dns;

import static io.weft.dataplane.dns.ZoneFixtures.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The byte-level path gives the answers the dnsjava path gives, and leaves everything else to it. */
class FastPathTest {
    private final DnsZone zone = ZoneFixtures.zone();
    private final DnsAnswerer slow = new DnsAnswerer(zone);

    private static Message parse(byte[] b) throws Exception {
        return new Message(b);
    }

    private static List<String> section(Message m, int s) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(s)) {
            out.add(r.toString().toLowerCase());
        }
        return out;
    }

    private void sameAsSlowPath(String name, int type) throws Exception {
        Message q = query(name, type);
        byte[] fast = FastPath.answer(ByteBuffer.wrap(q.toWire()), zone, true, 1232);
        assertNotNull(fast, name + " " + Type.string(type));
        Message f = parse(fast);
        Message s = slow.answer(q);
        assertEquals(s.getRcode(), f.getRcode(), name);
        assertEquals(q.getHeader().getID(), f.getHeader().getID());
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RA, Flags.RD, Flags.TC}) {
            assertEquals(s.getHeader().getFlag(flag), f.getHeader().getFlag(flag), name + " flag " + flag);
        }
        assertEquals(name, f.getQuestion().getName().toString(), "the client's question, its case kept");
        assertEquals(new HashSet<>(section(s, Section.ANSWER)), new HashSet<>(section(f, Section.ANSWER)), name);
        assertEquals(s.getSection(Section.ANSWER).size(), f.getSection(Section.ANSWER).size());
        assertEquals(section(s, Section.AUTHORITY), section(f, Section.AUTHORITY), name);
    }

    @Test
    void answersLikeTheGeneralPath() throws Exception {
        sameAsSlowPath("web.weave.local.", Type.A);
        sameAsSlowPath("WEB.weave.Local.", Type.A);
        sameAsSlowPath("web.weave.local.", Type.AAAA);
        sameAsSlowPath("web.weave.local.", Type.MX);
        sameAsSlowPath("nothere.weave.local.", Type.A);
        sameAsSlowPath("db.prod.weave.local.", Type.A);
        sameAsSlowPath("prod.weave.local.", Type.A);
        sameAsSlowPath("weave.local.", Type.A);
        sameAsSlowPath("cache.red.example.", Type.A);
        sameAsSlowPath("x.red.example.", Type.TXT);
    }

    @Test
    void rotatesLikeTheGeneralPath() throws Exception {
        byte[] q = query("web.weave.local.", Type.A).toWire();
        String first = parse(FastPath.answer(ByteBuffer.wrap(q), zone, true, 1232)).getSection(Section.ANSWER).get(0).rdataToString();
        String second = slow.answer(query("web.weave.local.", Type.A)).getSection(Section.ANSWER).get(0).rdataToString();
        String third = parse(FastPath.answer(ByteBuffer.wrap(q), zone, true, 1232)).getSection(Section.ANSWER).get(0).rdataToString();
        assertEquals(3, new HashSet<>(List.of(first, second, third)).size(), "one counter for both paths");
    }

    @Test
    void ednsQueriesGetAnOptAndEverythingUnusualGoesTheGeneralWay() throws Exception {
        Message q = query("web.weave.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message f = parse(FastPath.answer(ByteBuffer.wrap(q.toWire()), zone, true, 1232));
        assertEquals(1232, f.getOPT().getPayloadSize());

        Message v1 = query("web.weave.local.", Type.A);
        v1.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
        assertNull(FastPath.answer(ByteBuffer.wrap(v1.toWire()), zone, true, 1232), "EDNS version 1");
        assertNull(FastPath.answer(ByteBuffer.wrap(query("example.org.", Type.A).toWire()), zone, true, 1232), "upstream");
        assertNull(FastPath.answer(ByteBuffer.wrap(query("1.1.64.100.in-addr.arpa.", Type.PTR).toWire()), zone, true, 1232));
        assertNull(FastPath.answer(ByteBuffer.wrap(query("web.weave.local.", Type.ANY).toWire()), zone, true, 1232));
        assertNull(FastPath.answer(ByteBuffer.wrap(query("weave.local.", Type.SOA).toWire()), zone, true, 1232));
        byte[] trailing = java.util.Arrays.copyOf(query("web.weave.local.", Type.A).toWire(), 40);
        assertNull(FastPath.answer(ByteBuffer.wrap(trailing), zone, true, 1232), "bytes after the question");
        byte[] cut = java.util.Arrays.copyOf(query("web.weave.local.", Type.A).toWire(), 20);
        assertNull(FastPath.answer(ByteBuffer.wrap(cut), zone, true, 1232), "cut short");
    }

    @Test
    void answersBeyondTheClientsBufferAreLeftToTheGeneralPath() {
        List<io.weft.api.v1.DnsRecord> rs = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            rs.add(ZoneFixtures.record("many.weave.local", "100.64.1." + i));
        }
        DnsZone big = DnsZone.build(List.of(ZoneFixtures.network("blue", "100.64.1.0/24", "")), rs, 1, 1);
        byte[] q = query("many.weave.local.", Type.A).toWire();
        assertNull(FastPath.answer(ByteBuffer.wrap(q), big, true, 1232));
        byte[] tcp = FastPath.answer(ByteBuffer.wrap(q), big, false, 1232);
        assertEquals(12 + 22 + 50 * 16, tcp.length);
        assertEquals(Type.A, FastPath.questionType(tcp));
    }

    @Test
    void theQueryBufferIsNotConsumed() {
        byte[] q = query("web.weave.local.", Type.A).toWire();
        ByteBuffer b = ByteBuffer.wrap(q);
        FastPath.answer(b, zone, true, 1232);
        assertEquals(0, b.position());
        assertEquals(q.length, b.remaining());
    }
}
