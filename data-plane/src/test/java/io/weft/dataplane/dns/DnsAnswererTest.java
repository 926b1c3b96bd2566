package io.weft.dataplane.dns;

import static io.weft.dataplane.dns.ZoneFixtures.answers;
import static io.weft.dataplane.dns.ZoneFixtures.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsAnswererTest {
    private final DnsAnswerer answerer = new DnsAnswerer(ZoneFixtures.zone());

    @Test
    void everyAddressOfANameInRotatingOrder() {
        Message first = answerer.answer(query("web.weave.local.", Type.A));
        Message second = answerer.answer(query("web.weave.local.", Type.A));
        Message third = answerer.answer(query("web.weave.local.", Type.A));
        assertEquals(Rcode.NOERROR, first.getRcode());
        assertTrue(first.getHeader().getFlag(Flags.AA));
        assertEquals(Set.of("100.64.1.1", "100.64.1.2", "100.64.1.3"), new HashSet<>(answers(first)));
        assertEquals(3, answers(first).size());
        assertEquals(Set.of(answers(first).get(0), answers(second).get(0), answers(third).get(0)).size(), 3,
                "each of three answers starts with a different address");
        assertEquals(answers(first).get(1), answers(second).get(0));
    }

    @Test
    void namesAreCaseInsensitiveAndTheQuestionKeepsItsCase() {
        Message m = answerer.answer(query("WeB.Weave.LOCAL.", Type.A));
        assertEquals(3, answers(m).size());
        assertEquals("WeB.Weave.LOCAL.", m.getQuestion().getName().toString());
    }

    @Test
    void subdomainsOfTheDomainResolveAndTheirParentsExistEmpty() {
        assertEquals(List.of("100.64.1.9"), answers(answerer.answer(query("db.prod.weave.local.", Type.A))));
        Message parent = answerer.answer(query("prod.weave.local.", Type.A));
        assertEquals(Rcode.NOERROR, parent.getRcode());
        assertTrue(answers(parent).isEmpty());
    }

    @Test
    void unknownNameIsNxdomainKnownNameOtherTypeIsEmptyNoerror() {
        Message unknown = answerer.answer(query("nothere.weave.local.", Type.A));
        assertEquals(Rcode.NXDOMAIN, unknown.getRcode());
        assertEquals(1, unknown.getSection(Section.AUTHORITY).size(), "SOA for negative caching");
        for (int type : new int[] {Type.AAAA, Type.MX, Type.TXT}) {
            Message m = answerer.answer(query("web.weave.local.", type));
            assertEquals(Rcode.NOERROR, m.getRcode(), Type.string(type));
            assertTrue(answers(m).isEmpty(), Type.string(type));
        }
    }

    @Test
    void eachNetworkDomainIsServedAndTheApexHasAnSoa() {
        assertEquals(List.of("100.64.2.5"), answers(answerer.answer(query("cache.red.example.", Type.A))));
        Message soa = answerer.answer(query("weave.local.", Type.SOA));
        assertEquals(1, soa.getSection(Section.ANSWER).size());
        assertEquals(Rcode.NOERROR, answerer.answer(query("weave.local.", Type.A)).getRcode());
    }

    @Test
    void namesOutsideTheDomainsGoUpstreamEvenWithARecord() {
        assertNull(answerer.answer(query("example.org.", Type.A)));
        assertNull(answerer.answer(query("stray.elsewhere.test.", Type.A)));
        assertNull(answerer.answer(query("weave.localhost.", Type.A)));
    }

    @Test
    void reverseLookupsOfWeftAddressesAreLocalOthersGoUpstream() {
        Message ptr = answerer.answer(query("1.1.64.100.in-addr.arpa.", Type.PTR));
        assertNotNull(ptr);
        assertEquals(List.of("web.weave.local."), answers(ptr));
        Message unknown = answerer.answer(query("77.1.64.100.in-addr.arpa.", Type.PTR));
        assertEquals(Rcode.NXDOMAIN, unknown.getRcode());
        assertNull(answerer.answer(query("1.0.18.198.in-addr.arpa.", Type.PTR)), "not a Weft address");
        assertNull(answerer.answer(query("1.64.100.in-addr.arpa.", Type.PTR)), "not a full address");
        assertNull(answerer.answer(query("300.1.64.100.in-addr.arpa.", Type.PTR)));
    }

    @Test
    void aNewZoneReplacesTheOldOne() {
        answerer.setZone(DnsZone.build(List.of(ZoneFixtures.network("blue", "100.64.1.0/24", "")),
                List.of(ZoneFixtures.record("web.weave.local", "100.64.1.1")), 1, 43));
        assertEquals(List.of("100.64.1.1"), answers(answerer.answer(query("web.weave.local.", Type.A))));
        assertEquals(Rcode.NXDOMAIN, answerer.answer(query("db.prod.weave.local.", Type.A)).getRcode());
        assertNotEquals(0, answerer.zone().recordCount());
    }

    @Test
    void ttlIsTheConfiguredOne() {
        DnsAnswerer a = new DnsAnswerer(DnsZone.build(List.of(ZoneFixtures.network("blue", "100.64.1.0/24", "")),
                List.of(ZoneFixtures.record("web.weave.local", "100.64.1.1")), 7, 1));
        assertEquals(7, a.answer(query("web.weave.local.", Type.A)).getSection(Section.ANSWER).get(0).getTTL());
    }
}
