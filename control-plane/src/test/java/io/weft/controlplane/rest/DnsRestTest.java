package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.join;
import static io.weft.controlplane.rest.RestFixture.json;
import static io.weft.controlplane.rest.RestFixture.name;
import static io.weft.controlplane.rest.RestFixture.ok;
import static io.weft.controlplane.rest.RestFixture.refused;
import static io.weft.controlplane.rest.RestFixture.revision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsLookupResponse;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.Network;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveDnsRecordsResponse;

/** /api/v1/dns: add, remove, list, lookup; names validated and case-insensitive; endpoint records. */
@QuarkusTest
class DnsRestTest extends RestTestBase {
    /** Names this test added records for, removed afterwards (records without host outlive hosts). */
    final List<String> added = new ArrayList<>();
    /** A unique domain per test, so list filters see only this test's records. */
    String domain;

    @BeforeEach
    void setUp() {
        domain = name("zone") + ".test";
    }

    @AfterEach
    void tearDown() {
        for (String n : added) {
            admin().body(json(RemoveDnsRecordsRequest.newBuilder().setName(n))).post(API + "/dns/records/remove");
        }
    }

    Response add(AddDnsRecordsRequest.Builder req) {
        Response r = admin().body(json(req)).post(API + "/dns/records");
        if (r.statusCode() == 200) {
            parse(r).getRecordsList().forEach(rec -> added.add(rec.getName() + "."));
        }
        return r;
    }

    static AddDnsRecordsResponse parse(Response r) {
        return ok(r, AddDnsRecordsResponse.newBuilder());
    }

    static Response remove(RemoveDnsRecordsRequest.Builder req) {
        return admin().body(json(req)).post(API + "/dns/records/remove");
    }

    static Response lookup(String name) {
        return admin().get(API + "/dns/lookup/" + name);
    }

    static ListDnsRecordsResponse list(String query) {
        return ok(admin().get(API + "/dns/records" + query), ListDnsRecordsResponse.newBuilder());
    }

    // ---- add / lookup ---------------------------------------------------------------------

    @Test
    void addReturnsTheRecordsAtOneNewRevision() {
        String n = "web." + domain;
        long before = revision();
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.1")));
        assertEquals(before + 1, r.getRevision());
        assertEquals(before + 1, revision());
        assertEquals(List.of(DnsRecord.newBuilder().setName(n).setIp("198.18.5.1").setRevision(before + 1).build()), r.getRecordsList());
    }

    @Test
    void aNameMayHaveSeveralAddresses() {
        String n = "multi." + domain;
        parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.1").addIps("198.18.5.2")));
        parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("100.66.9.9")));
        DnsLookupResponse l = ok(lookup(n), DnsLookupResponse.newBuilder());
        assertEquals(n, l.getName());
        assertEquals(List.of("100.66.9.9", "198.18.5.1", "198.18.5.2"), l.getIpsList().stream().sorted().toList());
    }

    @Test
    void addingAnExistingRecordChangesNothing() {
        String n = "same." + domain;
        AddDnsRecordsResponse first = parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.3")));
        long rev = revision();
        AddDnsRecordsResponse again = parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.3")));
        assertEquals(first.getRecordsList(), again.getRecordsList());
        assertEquals(rev, revision(), "a repeated add is a no-op");
    }

    /** A no-op add commits nothing, so it should not report a revision the store has not reached. */
    @Test
    void addingAnExistingRecordReportsTheCurrentRevision() {
        String n = "samerev." + domain;
        parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.3")));
        long rev = revision();
        AddDnsRecordsResponse again = parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.3")));
        assertEquals(rev, again.getRevision(), "revision of a no-op add (store is at " + rev + ")");
    }

    @Test
    void namesAreStoredLowerCaseAndLookedUpCaseInsensitively() {
        String n = "MixedCase." + domain.toUpperCase();
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.4")));
        assertEquals(n.toLowerCase(), r.getRecords(0).getName());
        DnsLookupResponse l = ok(lookup("MIXEDCASE." + domain.toUpperCase()), DnsLookupResponse.newBuilder());
        assertEquals(n.toLowerCase(), l.getName());
        assertEquals(List.of("198.18.5.4"), l.getIpsList());
    }

    @Test
    void aSingleLabelGetsWeaveLocal() {
        String label = name("solo");
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName(label).addIps("198.18.5.5")));
        assertEquals(label + ".weave.local", r.getRecords(0).getName());
        DnsLookupResponse l = ok(lookup(label), DnsLookupResponse.newBuilder());
        assertEquals(label + ".weave.local", l.getName());
        assertEquals(List.of("198.18.5.5"), l.getIpsList());
    }

    @Test
    void aSingleLabelGetsTheGivenDomain() {
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName("db").setDnsDomain(domain).addIps("198.18.5.6")));
        assertEquals("db." + domain, r.getRecords(0).getName());
        DnsLookupResponse l = ok(admin().get(API + "/dns/lookup/db?domain=" + domain), DnsLookupResponse.newBuilder());
        assertEquals("db." + domain, l.getName());
    }

    @Test
    void aTrailingDotIsDropped() {
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName("dot." + domain + ".").addIps("198.18.5.7")));
        assertEquals("dot." + domain, r.getRecords(0).getName());
        ok(lookup("dot." + domain + "."), DnsLookupResponse.newBuilder());
    }

    @Test
    void addKeepsHostAndContainer() {
        String host = fx.host("dns-h");
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName("own." + domain).addIps("198.18.5.8").setHost(host)
                .setContainerId("cid-1")));
        assertEquals(host, r.getRecords(0).getHost());
        assertEquals("cid-1", r.getRecords(0).getContainerId());
        assertEquals("", r.getRecords(0).getEndpointId());
    }

    @Test
    void addWithTheJoinTokenIsAllowed() {
        String n = "joined." + domain;
        Response r = join().body(json(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.9"))).post(API + "/dns/records");
        added.add(n);
        assertEquals(200, r.statusCode(), r.asString());
    }

    @Test
    void nameOf253CharactersIsAccepted() {
        String n = fqdn(253);
        AddDnsRecordsResponse r = parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.10")));
        assertEquals(n, r.getRecords(0).getName());
    }

    /** A name of exactly {@code length} characters ending in this test's domain, labels of at most 63. */
    String fqdn(int length) {
        String tail = "." + domain;
        char[] prefix = "a".repeat(length - tail.length()).toCharArray();
        for (int i = 63; i < prefix.length - 1; i += 64) {
            prefix[i] = '.'; // labels of 63
        }
        String s = new String(prefix) + tail;
        assertEquals(length, s.length(), s);
        return s;
    }

    // ---- add refusals ---------------------------------------------------------------------

    @Test
    void nameOver253CharactersIsRefused() {
        String n = fqdn(254);
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.11")), 400, "INVALID_ARGUMENT", "254 characters",
                "at most 253");
    }

    @Test
    void labelOver63CharactersIsRefused() {
        String n = "l".repeat(64) + "." + domain;
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.12")), 400, "INVALID_ARGUMENT",
                "label of 64 characters", "at most 63");
    }

    @Test
    void nameWithInvalidCharactersIsRefused() {
        String n = "under_score." + domain;
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.13")), 400, "INVALID_ARGUMENT", n, "invalid");
    }

    @Test
    void labelStartingWithHyphenIsRefused() {
        String n = "-web." + domain;
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.14")), 400, "INVALID_ARGUMENT", n, "'-'");
    }

    @Test
    void emptyLabelIsRefused() {
        String n = "a.." + domain;
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.5.15")), 400, "INVALID_ARGUMENT", n);
    }

    @Test
    void emptyNameIsRefused() {
        refused(() -> add(AddDnsRecordsRequest.newBuilder().addIps("198.18.5.16")), 400, "INVALID_ARGUMENT", "DNS name", "empty");
    }

    @Test
    void addWithoutAddressesIsRefused() {
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName("noip." + domain)), 400, "INVALID_ARGUMENT", "at least one IPv4 address");
    }

    @Test
    void addWithAMalformedAddressIsRefusedAndAddsNoneOfTheOthers() {
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName("bad." + domain).addIps("198.18.5.17").addIps("198.18.5")), 400,
                "INVALID_ARGUMENT", "198.18.5", "not an IPv4 address");
    }

    @Test
    void addWithAnInvalidDomainIsRefused() {
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName("x").setDnsDomain("bad_domain").addIps("198.18.5.18")), 400,
                "INVALID_ARGUMENT", "DNS domain", "bad_domain");
    }

    @Test
    void addWithAnInvalidHostIsRefused() {
        refused(() -> add(AddDnsRecordsRequest.newBuilder().setName("h." + domain).setHost("bad host").addIps("198.18.5.19")), 400,
                "INVALID_ARGUMENT", "host name", "bad host");
    }

    // ---- lookup refusals ------------------------------------------------------------------

    @Test
    void lookupOfAnUnknownNameIsRefused() {
        String n = "nobody." + domain;
        refused(() -> lookup(n), 404, "NOT_FOUND", n, "no DNS record");
    }

    @Test
    void lookupOfAnInvalidNameIsRefused() {
        refused(() -> lookup("l".repeat(64) + "." + domain), 400, "INVALID_ARGUMENT", "label of 64 characters");
    }

    // ---- list -----------------------------------------------------------------------------

    @Test
    void listFiltersByNameDomainAndHost() {
        String host = fx.host("dns-l");
        parse(add(AddDnsRecordsRequest.newBuilder().setName("a." + domain).addIps("198.18.6.1").addIps("198.18.6.2")));
        parse(add(AddDnsRecordsRequest.newBuilder().setName("b." + domain).addIps("198.18.6.3").setHost(host)));
        assertEquals(List.of("198.18.6.1", "198.18.6.2"), list("?name=A." + domain).getRecordsList().stream().map(DnsRecord::getIp).toList());
        assertEquals(List.of("a." + domain, "a." + domain, "b." + domain),
                list("?domain=" + domain).getRecordsList().stream().map(DnsRecord::getName).toList());
        assertEquals(List.of("b." + domain), list("?host=" + host).getRecordsList().stream().map(DnsRecord::getName).toList());
        ListDnsRecordsResponse all = list("");
        assertTrue(all.getRecordsCount() >= 3);
        assertEquals(revision(), all.getRevision());
    }

    @Test
    void listWithAnInvalidDomainIsRefused() {
        refused(() -> admin().get(API + "/dns/records?domain=bad_domain"), 400, "INVALID_ARGUMENT", "bad_domain");
    }

    // ---- remove ---------------------------------------------------------------------------

    @Test
    void removeOneAddressKeepsTheOthers() {
        String n = "rm1." + domain;
        parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.7.1").addIps("198.18.7.2")));
        RemoveDnsRecordsResponse r = ok(remove(RemoveDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.7.1")),
                RemoveDnsRecordsResponse.newBuilder());
        assertEquals(1, r.getRemoved());
        assertEquals(revision(), r.getRevision());
        assertEquals(List.of("198.18.7.2"), ((DnsLookupResponse) ok(lookup(n), DnsLookupResponse.newBuilder())).getIpsList());
    }

    @Test
    void removeWithoutAddressesRemovesEveryAddressOfTheName() {
        String n = "rm2." + domain;
        parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.7.3").addIps("198.18.7.4")));
        RemoveDnsRecordsResponse r = ok(remove(RemoveDnsRecordsRequest.newBuilder().setName(n.toUpperCase())),
                RemoveDnsRecordsResponse.newBuilder());
        assertEquals(2, r.getRemoved());
        RestFixture.assertError(lookup(n), 404, "NOT_FOUND", n);
    }

    @Test
    void removeByContainerRemovesItsRecords() {
        String c = name("cid");
        parse(add(AddDnsRecordsRequest.newBuilder().setName("rm3." + domain).addIps("198.18.7.5").setContainerId(c)));
        parse(add(AddDnsRecordsRequest.newBuilder().setName("rm4." + domain).addIps("198.18.7.6").setContainerId(c)));
        parse(add(AddDnsRecordsRequest.newBuilder().setName("rm5." + domain).addIps("198.18.7.7")));
        RemoveDnsRecordsResponse r = ok(remove(RemoveDnsRecordsRequest.newBuilder().setContainerId(c)), RemoveDnsRecordsResponse.newBuilder());
        assertEquals(2, r.getRemoved());
        assertEquals(List.of("rm5." + domain), list("?domain=" + domain).getRecordsList().stream().map(DnsRecord::getName).toList());
    }

    @Test
    void removeOfAnUnknownNameIsRefused() {
        String n = "ghost." + domain;
        refused(() -> remove(RemoveDnsRecordsRequest.newBuilder().setName(n)), 404, "NOT_FOUND", n);
    }

    @Test
    void removeOfAnAddressTheNameDoesNotHaveIsRefused() {
        String n = "rm6." + domain;
        parse(add(AddDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.7.8")));
        refused(() -> remove(RemoveDnsRecordsRequest.newBuilder().setName(n).addIps("198.18.7.9")), 404, "NOT_FOUND", n,
                "given addresses");
    }

    @Test
    void removeWithNeitherNameNorContainerIsRefused() {
        refused(() -> remove(RemoveDnsRecordsRequest.newBuilder()), 400, "INVALID_ARGUMENT", "name", "container id");
    }

    @Test
    void removeWithAnInvalidNameIsRefused() {
        refused(() -> remove(RemoveDnsRecordsRequest.newBuilder().setName("bad_name." + domain)), 400, "INVALID_ARGUMENT", "bad_name");
    }

    // ---- endpoint records -----------------------------------------------------------------

    @Test
    void recordsOfAnAttachedEndpointVanishOnDetach() {
        Network net = fx.network("dns-ep", 24, domain);
        String host = fx.host("dns-ep-h");
        Endpoint e = fx.attach(net.getName(), host, "c1", null, "app", "Alias." + domain);
        List<DnsRecord> records = list("?domain=" + domain).getRecordsList();
        assertEquals(List.of("alias." + domain, "app." + domain), records.stream().map(DnsRecord::getName).toList());
        for (DnsRecord r : records) {
            assertEquals(e.getIp(), r.getIp());
            assertEquals(e.getId(), r.getEndpointId());
            assertEquals(host, r.getHost());
            assertEquals("c1", r.getContainerId());
        }
        assertEquals(List.of(e.getIp()), ((DnsLookupResponse) ok(lookup("APP." + domain), DnsLookupResponse.newBuilder())).getIpsList());
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        assertEquals(List.of(), list("?domain=" + domain).getRecordsList());
        RestFixture.assertError(lookup("app." + domain), 404, "NOT_FOUND", "app." + domain);
    }

    @Test
    void endpointRecordsShareANameWithExternalRecords() {
        Network net = fx.network("dns-ep2", 24, domain);
        String host = fx.host("dns-ep2-h");
        parse(add(AddDnsRecordsRequest.newBuilder().setName("svc." + domain).addIps("198.18.8.1")));
        Endpoint e = fx.attach(net.getName(), host, "c1", null, "svc");
        DnsLookupResponse l = ok(lookup("svc." + domain), DnsLookupResponse.newBuilder());
        assertEquals(List.of("198.18.8.1", e.getIp()).stream().sorted().toList(), l.getIpsList().stream().sorted().toList());
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        assertEquals(List.of("198.18.8.1"), ((DnsLookupResponse) ok(lookup("svc." + domain), DnsLookupResponse.newBuilder())).getIpsList());
    }
}
