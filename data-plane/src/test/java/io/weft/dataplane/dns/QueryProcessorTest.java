package io.weft.dataplane.dns;

import static io.weft.dataplane.dns.ZoneFixtures.network;
import static io.weft.dataplane.dns.ZoneFixtures.query;
import static io.weft.dataplane.dns.ZoneFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.api.v1.DnsRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryProcessorTest {
    private final DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry());
    private final List<byte[]> sent = new ArrayList<>();

    private QueryProcessor processor(DnsZone zone) {
        return new QueryProcessor(new DnsAnswerer(zone), new Upstream(Duration.ofMillis(200)), metrics, 1232);
    }

    private static DnsZone fiftyAddresses() {
        List<DnsRecord> rs = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            rs.add(record("many.weave.local", "100.64.1." + i));
        }
        return DnsZone.build(List.of(network("blue", "100.64.1.0/24", "")), rs, 1, 1);
    }

    private Message ask(QueryProcessor p, Message q, boolean udp) throws Exception {
        sent.clear();
        p.process(ByteBuffer.wrap(q.toWire()), udp, sent::add);
        assertEquals(1, sent.size(), "one answer");
        return new Message(sent.get(0));
    }

    @Test
    void bigAnswerOverClassicUdpIsTruncatedAndCompleteOverTcp() throws Exception {
        QueryProcessor p = processor(fiftyAddresses());
        Message udp = ask(p, query("many.weave.local.", Type.A), true);
        assertTrue(udp.getHeader().getFlag(Flags.TC), "TC set");
        assertTrue(sent.get(0).length <= 512);
        assertTrue(udp.getSection(Section.ANSWER).size() < 50);
        Message tcp = ask(p, query("many.weave.local.", Type.A), false);
        assertFalse(tcp.getHeader().getFlag(Flags.TC));
        assertEquals(50, tcp.getSection(Section.ANSWER).size());
    }

    @Test
    void edns0BufferSizeIsHonoured() throws Exception {
        QueryProcessor p = processor(fiftyAddresses());
        Message q = query("many.weave.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message big = ask(p, q, true);
        assertFalse(big.getHeader().getFlag(Flags.TC));
        assertEquals(50, big.getSection(Section.ANSWER).size());
        assertNotNull(big.getOPT(), "EDNS0 answered with EDNS0");
        Message small = query("many.weave.local.", Type.A);
        small.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
        assertTrue(ask(p, small, true).getHeader().getFlag(Flags.TC));
    }

    @Test
    void garbageWithAnIdGetsFormerrShorterIsDroppedAndCounted() throws Exception {
        QueryProcessor p = processor(ZoneFixtures.zone());
        byte[] junk = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'x'};
        sent.clear();
        p.process(ByteBuffer.wrap(junk), true, sent::add);
        Message formerr = new Message(sent.get(0));
        assertEquals(Rcode.FORMERR, formerr.getRcode());
        assertEquals(0x1234, formerr.getHeader().getID());
        sent.clear();
        p.process(ByteBuffer.wrap(new byte[] {1, 2, 3}), true, sent::add);
        assertTrue(sent.isEmpty());
        assertEquals(1.0, metrics.dropCount("short"));
        assertEquals(1.0, metrics.count("NONE", "FORMERR"));
    }

    @Test
    void responsesAreDroppedOtherOpcodesAndQuestionCountsRefused() throws Exception {
        QueryProcessor p = processor(ZoneFixtures.zone());
        Message response = query("web.weave.local.", Type.A);
        response.getHeader().setFlag(Flags.QR);
        sent.clear();
        p.process(ByteBuffer.wrap(response.toWire()), true, sent::add);
        assertTrue(sent.isEmpty());
        assertEquals(1.0, metrics.dropCount("response"));
        Message notify = query("web.weave.local.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertEquals(Rcode.NOTIMP, ask(p, notify, true).getRcode());
        Message noQuestion = new Message();
        assertEquals(Rcode.FORMERR, ask(p, noQuestion, true).getRcode());
    }

    @Test
    void upstreamNamesWithoutUpstreamServersGetServfail() throws Exception {
        QueryProcessor p = processor(ZoneFixtures.zone());
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        p.process(ByteBuffer.wrap(query("example.org.", Type.A).toWire()), true, answer::complete);
        Message m = new Message(answer.get(5, TimeUnit.SECONDS));
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        assertFalse(m.getHeader().getFlag(Flags.AA));
        assertEquals(1.0, metrics.count("A", "SERVFAIL"));
    }

    @Test
    void queriesAreCountedByTypeAndRcode() throws Exception {
        QueryProcessor p = processor(ZoneFixtures.zone());
        ask(p, query("web.weave.local.", Type.A), true);
        ask(p, query("web.weave.local.", Type.A), true);
        ask(p, query("nothere.weave.local.", Type.AAAA), true);
        assertEquals(2.0, metrics.count("A", "NOERROR"));
        assertEquals(1.0, metrics.count("AAAA", "NXDOMAIN"));
    }

    @Test
    void unsupportedEdnsVersionGetsBadvers() throws Exception {
        QueryProcessor p = processor(ZoneFixtures.zone());
        Message q = query("web.weave.local.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        assertEquals(Rcode.BADVERS, ask(p, q, true).getRcode());
    }
}
