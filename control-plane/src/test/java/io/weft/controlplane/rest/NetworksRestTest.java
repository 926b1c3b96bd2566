package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.json;
import static io.weft.controlplane.rest.RestFixture.name;
import static io.weft.controlplane.rest.RestFixture.ok;
import static io.weft.controlplane.rest.RestFixture.refused;
import static io.weft.controlplane.rest.RestFixture.revision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.DeleteNetworkResponse;
import io.weft.api.v1.ListNetworksResponse;
import io.weft.api.v1.Network;

/** /api/v1/networks: create, get, list, delete, and every way a create or delete is refused. */
@QuarkusTest
class NetworksRestTest extends RestTestBase {

    static Response create(CreateNetworkRequest.Builder req) {
        return admin().body(json(req)).post(API + "/networks");
    }

    static ListNetworksResponse list() {
        return ok(admin().get(API + "/networks"), ListNetworksResponse.newBuilder());
    }

    /** A free /24 for a network the test creates by hand. */
    String freeCidr() {
        Network probe = fx.network("probe");
        String cidr = probe.getCidr();
        admin().delete(API + "/networks/" + probe.getName()).then().statusCode(200);
        return cidr;
    }

    @Test
    void createReturns201WithTheNetworkAndBumpsTheRevisionOnce() {
        long before = revision();
        String name = name("net");
        String cidr = freeCidr();
        long afterProbe = revision();
        Response r = create(CreateNetworkRequest.newBuilder().setName(name).setCidr(cidr));
        fx.track(name);
        Network n = ok(r, 201, Network.newBuilder());
        assertEquals(name, n.getName());
        assertEquals(cidr, n.getCidr());
        assertEquals("weave.local", n.getDnsDomain(), "an empty domain means weave.local");
        assertTrue(n.getIsolationId() >= 1 && n.getIsolationId() <= 0xFFFFFF, "isolation id " + n.getIsolationId());
        assertEquals(afterProbe + 1, n.getCreatedRevision());
        assertEquals(afterProbe + 1, revision());
        assertTrue(before < afterProbe);
    }

    @Test
    void responseUsesSnakeCaseFieldNamesAndInt64AsString() {
        Network n = fx.network("json");
        Response r = admin().get(API + "/networks/" + n.getName());
        r.then().statusCode(200);
        String body = r.asString();
        assertTrue(body.contains("\"dns_domain\""), body);
        assertTrue(body.contains("\"isolation_id\""), body);
        assertTrue(body.contains("\"created_revision\": \"" + n.getCreatedRevision() + "\""), body);
        assertFalse(body.contains("dnsDomain"), body);
    }

    @Test
    void createAcceptsCamelCaseInput() {
        String name = name("camel");
        String cidr = freeCidr();
        Response r = admin().body("{\"name\":\"" + name + "\",\"cidr\":\"" + cidr + "\",\"dnsDomain\":\"camel.example\"}")
                .post(API + "/networks");
        fx.track(name);
        Network n = ok(r, 201, Network.newBuilder());
        assertEquals("camel.example", n.getDnsDomain());
    }

    @Test
    void createLowerCasesNameAndDomain() {
        String name = name("Upper").toUpperCase();
        String cidr = freeCidr();
        Response r = create(CreateNetworkRequest.newBuilder().setName(name).setCidr(cidr).setDnsDomain("Blue.Example."));
        fx.track(name.toLowerCase());
        Network n = ok(r, 201, Network.newBuilder());
        assertEquals(name.toLowerCase(), n.getName());
        assertEquals("blue.example", n.getDnsDomain());
    }

    @Test
    void createWithAnExplicitIsolationIdKeepsIt() {
        Network a = fx.network("iso-a");
        String name = name("iso-b");
        String cidr = freeCidr();
        // one above the highest id in use is always free
        int id = list().getNetworksList().stream().mapToInt(Network::getIsolationId).max().orElse(0) + 1;
        Response r = create(CreateNetworkRequest.newBuilder().setName(name).setCidr(cidr).setIsolationId(id));
        fx.track(name);
        assertEquals(id, ((Network) ok(r, 201, Network.newBuilder())).getIsolationId());
        assertNotEquals(a.getIsolationId(), id);
    }

    @Test
    void getReturnsTheNetwork() {
        Network n = fx.network("get");
        Network got = ok(admin().get(API + "/networks/" + n.getName()), Network.newBuilder());
        assertEquals(n, got);
    }

    @Test
    void getIsCaseInsensitive() {
        Network n = fx.network("getci");
        Network got = ok(admin().get(API + "/networks/" + n.getName().toUpperCase()), Network.newBuilder());
        assertEquals(n, got);
    }

    @Test
    void listContainsCreatedNetworksAndTheDefaultAtTheCurrentRevision() {
        Network n = fx.network("list");
        ListNetworksResponse l = list();
        assertTrue(l.getNetworksList().contains(n));
        assertTrue(l.getNetworksList().stream().anyMatch(x -> x.getName().equals("default")));
        assertEquals(revision(), l.getRevision());
    }

    @Test
    void defaultNetworkHasTheDefaultRange() {
        Network d = ok(admin().get(API + "/networks/default"), Network.newBuilder());
        assertEquals("100.96.0.0/12", d.getCidr());
        assertEquals("weave.local", d.getDnsDomain());
    }

    @Test
    void deleteRemovesTheNetworkAndReturnsItsRevision() {
        Network n = fx.network("del");
        DeleteNetworkResponse d = ok(admin().delete(API + "/networks/" + n.getName()), DeleteNetworkResponse.newBuilder());
        assertEquals(revision(), d.getRevision());
        assertFalse(list().getNetworksList().stream().anyMatch(x -> x.getName().equals(n.getName())));
        RestFixture.assertError(admin().get(API + "/networks/" + n.getName()), 404, "NOT_FOUND", n.getName());
    }

    @Test
    void deletedNetworksRangeCanBeReused() {
        Network n = fx.network("reuse");
        admin().delete(API + "/networks/" + n.getName()).then().statusCode(200);
        String name = name("reuse2");
        Response r = create(CreateNetworkRequest.newBuilder().setName(name).setCidr(n.getCidr()));
        fx.track(name);
        assertEquals(201, r.statusCode(), r.asString());
    }

    // ---- refusals -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "100.64.0.0", "100.64.0.0/x", "100.64.0.0/", "100.64.0.0/24/1" })
    void malformedCidrIsRefusedNamingIt(String cidr) {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("bad")).setCidr(cidr)), 400, "INVALID_ARGUMENT",
                "network CIDR '" + cidr + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.64.0/24", "banana/24", "256.64.0.0/24", " 100.64.0.0/24", "100.64.0.00/24" })
    void cidrWithMalformedAddressIsRefusedNamingTheAddress(String cidr) {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("bad")).setCidr(cidr)), 400, "INVALID_ARGUMENT",
                "network CIDR", cidr.substring(0, cidr.indexOf('/')), "not an IPv4 address");
    }

    /** "/24" has a prefix but no address: the message should say so rather than call the CIDR empty. */
    @Test
    void cidrWithoutAddressIsRefusedNamingIt() {
        String message = refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("bad")).setCidr("/24")), 400,
                "INVALID_ARGUMENT", "network CIDR");
        assertTrue(message.contains("/24"), "message should quote the CIDR '/24' instead of calling it empty: " + message);
    }

    @Test
    void emptyCidrIsRefused() {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("bad"))), 400, "INVALID_ARGUMENT", "CIDR", "empty");
    }

    @Test
    void cidrWithHostBitsIsRefusedWithTheRightCidrSuggested() {
        String cidr = freeCidr(); // 100.x.y.0/24
        String withHostBits = cidr.replace(".0/24", ".7/24");
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("hb")).setCidr(withHostBits)), 400, "INVALID_ARGUMENT",
                "host bits", "did you mean " + cidr);
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.64.0.0/7", "100.64.0.0/31", "100.64.0.0/32", "100.64.0.0/0", "100.64.0.0/-1" })
    void prefixOutsideEightToThirtyIsRefused(String cidr) {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("pfx")).setCidr(cidr)), 400, "INVALID_ARGUMENT", "/8",
                "/30");
    }

    @Test
    void overlappingNetworkIsRefusedAndNamesTheOther() {
        Network first = fx.network("ov");
        String inside = first.getCidr().replace(".0/24", ".128/25");
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("ov2")).setCidr(inside)), 409, "FAILED_PRECONDITION",
                "overlaps", first.getName(), first.getCidr());
    }

    @Test
    void networkContainingAnotherIsRefused() {
        Network first = fx.network("ov-in");
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("ov-out")).setCidr("100.64.0.0/10")), 409,
                "FAILED_PRECONDITION", "overlaps");
        assertTrue(list().getNetworksList().contains(first));
    }

    @Test
    void overlapWithTheDefaultNetworkIsRefused() {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("ov-def")).setCidr("100.100.0.0/16")), 409,
                "FAILED_PRECONDITION", "overlaps", "default", "100.96.0.0/12");
    }

    @Test
    void duplicateNameIsRefused() {
        Network n = fx.network("dup");
        String cidr = freeCidr();
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(n.getName()).setCidr(cidr)), 409, "ALREADY_EXISTS",
                n.getName(), "already exists");
    }

    @Test
    void duplicateNameInOtherCaseIsRefused() {
        Network n = fx.network("dupci");
        String cidr = freeCidr();
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(n.getName().toUpperCase()).setCidr(cidr)), 409,
                "ALREADY_EXISTS", n.getName());
    }

    @Test
    void nameOf64CharactersIsRefused() {
        String cidr = freeCidr();
        refused(() -> create(CreateNetworkRequest.newBuilder().setName("n".repeat(64)).setCidr(cidr)), 400, "INVALID_ARGUMENT",
                "64 characters", "at most 63");
    }

    @Test
    void nameOf63CharactersIsAccepted() {
        String name = (name("long") + "x".repeat(63)).substring(0, 63);
        String cidr = freeCidr();
        Response r = create(CreateNetworkRequest.newBuilder().setName(name).setCidr(cidr));
        fx.track(name);
        assertEquals(201, r.statusCode(), r.asString());
    }

    @Test
    void veryLongNameIsRefused() {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName("n".repeat(5000)).setCidr("100.66.0.0/24")), 400,
                "INVALID_ARGUMENT", "5000 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = { "no spaces", "under_score", "dot.ted", "-lead", "trail-", "wé" })
    void invalidNameIsRefused(String bad) {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(bad).setCidr("100.66.0.0/24")), 400, "INVALID_ARGUMENT",
                "network name", "invalid");
    }

    @Test
    void emptyNameIsRefused() {
        refused(() -> create(CreateNetworkRequest.newBuilder().setCidr("100.66.0.0/24")), 400, "INVALID_ARGUMENT", "network name",
                "empty");
    }

    @Test
    void invalidDnsDomainIsRefused() {
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("dom")).setCidr("100.66.0.0/24").setDnsDomain("bad domain")),
                400, "INVALID_ARGUMENT", "DNS domain", "bad domain");
    }

    @Test
    void takenIsolationIdIsRefused() {
        Network n = fx.network("iso");
        String cidr = freeCidr();
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("iso2")).setCidr(cidr).setIsolationId(n.getIsolationId())),
                409, "ALREADY_EXISTS", "isolation id " + n.getIsolationId());
    }

    @Test
    void isolationIdAbove24BitsIsRefused() {
        String cidr = freeCidr();
        refused(() -> create(CreateNetworkRequest.newBuilder().setName(name("iso")).setCidr(cidr).setIsolationId(1 << 24)), 400,
                "INVALID_ARGUMENT", "isolation id 16777216", "out of range");
    }

    /** uint32 values above 2^31 arrive in Java as negative ints; they are out of range all the same. */
    @Test
    void isolationIdAbove2To31IsRefused() {
        String cidr = freeCidr();
        String name = name("iso-big");
        fx.track(name); // in case the refusal fails
        refused(() -> admin().body("{\"name\":\"" + name + "\",\"cidr\":\"" + cidr + "\",\"isolation_id\":4294967295}")
                .post(API + "/networks"), 400, "INVALID_ARGUMENT", "out of range");
    }

    @Test
    void getUnknownNetworkIs404() {
        String missing = name("missing");
        refused(() -> admin().get(API + "/networks/" + missing), 404, "NOT_FOUND", missing, "does not exist");
    }

    @Test
    void getWithInvalidNameIs400() {
        refused(() -> admin().get(API + "/networks/bad_name"), 400, "INVALID_ARGUMENT", "bad_name");
    }

    @Test
    void deleteUnknownNetworkIs404() {
        String missing = name("missing");
        refused(() -> admin().delete(API + "/networks/" + missing), 404, "NOT_FOUND", missing);
    }

    @Test
    void deleteNetworkWithEndpointsIsRefused() {
        Network n = fx.network("busy");
        String host = fx.host("busy-h");
        fx.attach(n.getName(), host, "c1", null);
        refused(() -> admin().delete(API + "/networks/" + n.getName()), 409, "FAILED_PRECONDITION", n.getName(), "1 endpoint",
                "detach");
        ok(admin().get(API + "/networks/" + n.getName()), Network.newBuilder());
    }

    @Test
    void deleteNetworkWithPlainAllocationsIsRefused() {
        Network n = fx.network("busy-ip");
        String host = fx.host("busy-ip-h");
        admin().body(json(AllocateRequest.newBuilder().setNetwork(n.getName()).setHost(host).setOwner("o1"))).post(API + "/ipam/allocate")
                .then().statusCode(200);
        refused(() -> admin().delete(API + "/networks/" + n.getName()), 409, "FAILED_PRECONDITION", "1 allocated address");
    }

    @Test
    void deleteSucceedsOnceEndpointsAreDetached() {
        Network n = fx.network("busy2");
        String host = fx.host("busy2-h");
        var e = fx.attach(n.getName(), host, "c1", null);
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        admin().delete(API + "/networks/" + n.getName()).then().statusCode(200);
    }
}
