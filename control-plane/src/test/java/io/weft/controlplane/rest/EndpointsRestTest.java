package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.ipIn;
import static io.weft.controlplane.rest.RestFixture.join;
import static io.weft.controlplane.rest.RestFixture.json;
import static io.weft.controlplane.rest.RestFixture.name;
import static io.weft.controlplane.rest.RestFixture.ok;
import static io.weft.controlplane.rest.RestFixture.refused;
import static io.weft.controlplane.rest.RestFixture.revision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.ClaimRequest;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.DetachResponse;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.ListEndpointsResponse;
import io.weft.api.v1.Network;

/** /api/v1/endpoints: attach, get, list, detach (by id and by container), and every refusal. */
@QuarkusTest
class EndpointsRestTest extends RestTestBase {
    Network net;
    String host;

    @BeforeEach
    void setUp() {
        net = fx.network("ep", 24, "ep.example");
        host = fx.host("ep-h");
    }

    static Response attach(AttachRequest.Builder req) {
        return admin().body(json(req)).post(API + "/endpoints");
    }

    AttachRequest.Builder req(String container) {
        return AttachRequest.newBuilder().setNetwork(net.getName()).setHost(host).setContainerId(container);
    }

    static ListEndpointsResponse list(String query) {
        return ok(admin().get(API + "/endpoints" + query), ListEndpointsResponse.newBuilder());
    }

    // ---- attach ---------------------------------------------------------------------------

    @Test
    void attachAllocatesTheFirstFreeAddressAndReturns201() {
        long before = revision();
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        assertTrue(e.getId().matches("ep-[0-9a-f]+"), e.getId());
        assertEquals(net.getName(), e.getNetwork());
        assertEquals(host, e.getHost());
        assertEquals("c1", e.getContainerId());
        assertEquals(ipIn(net, 1), e.getIp(), "the first address of a fresh network is .1 (.0 is never handed out)");
        assertEquals(24, e.getPrefixLength());
        assertEquals(before + 1, e.getRevision());
        assertEquals(before + 1, revision(), "attach is one revision");
    }

    @Test
    void attachDerivesALocallyAdministeredMacFromTheAddress() {
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        String[] o = e.getIp().split("\\.");
        String expected = String.format("0e:00:%02x:%02x:%02x:%02x", Integer.parseInt(o[0]), Integer.parseInt(o[1]),
                Integer.parseInt(o[2]), Integer.parseInt(o[3]));
        assertEquals(expected, e.getMac());
    }

    @Test
    void attachKeepsAGivenMacInLowerCase() {
        Endpoint e = ok(attach(req("c1").setMac("02:AB:CD:00:00:01")), 201, Endpoint.newBuilder());
        assertEquals("02:ab:cd:00:00:01", e.getMac());
    }

    @Test
    void attachClaimsARequestedAddress() {
        Endpoint e = ok(attach(req("c1").setIp(ipIn(net, 77))), 201, Endpoint.newBuilder());
        assertEquals(ipIn(net, 77), e.getIp());
    }

    @Test
    void attachAllocatesDistinctAddresses() {
        Endpoint a = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        Endpoint b = ok(attach(req("c2")), 201, Endpoint.newBuilder());
        assertNotEquals(a.getIp(), b.getIp());
        assertNotEquals(a.getMac(), b.getMac());
    }

    @Test
    void attachRegistersDnsNamesInTheNetworksDomain() {
        Endpoint e = ok(attach(req("c1").addDnsNames("Web").addDnsNames("api.other.example.")), 201, Endpoint.newBuilder());
        assertEquals(List.of("api.other.example", "web.ep.example"), e.getDnsNamesList().stream().sorted().toList());
        admin().get(API + "/dns/lookup/web.ep.example").then().statusCode(200);
    }

    @Test
    void attachWithoutNetworkUsesTheDefaultNetwork() {
        Endpoint e = ok(attach(AttachRequest.newBuilder().setHost(host).setContainerId(name("c"))), 201, Endpoint.newBuilder());
        assertEquals("default", e.getNetwork());
        assertEquals(12, e.getPrefixLength());
        String[] o = e.getIp().split("\\.");
        assertEquals("100", o[0]);
        assertTrue(Integer.parseInt(o[1]) >= 96 && Integer.parseInt(o[1]) <= 111, e.getIp());
        // the host's clean-up releases it
    }

    @Test
    void attachWithTheJoinTokenIsAllowed() {
        Response r = join().body(json(req("c1"))).post(API + "/endpoints");
        assertEquals(201, r.statusCode(), r.asString());
    }

    @Test
    void attachAcceptsCamelCaseFields() {
        Response r = admin().body("{\"network\":\"" + net.getName() + "\",\"host\":\"" + host
                + "\",\"containerId\":\"c1\",\"dnsNames\":[\"cam\"]}").post(API + "/endpoints");
        Endpoint e = ok(r, 201, Endpoint.newBuilder());
        assertEquals(List.of("cam.ep.example"), e.getDnsNamesList());
    }

    @Test
    void attachingTheSameContainerAgainIsIdempotent() {
        Endpoint first = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        long rev = revision();
        Endpoint again = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        assertEquals(first, again);
        assertEquals(rev, revision(), "a repeated attach changes nothing");
    }

    @Test
    void reattachingWithAnotherAddressIsRefused() {
        Endpoint first = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        refused(() -> attach(req("c1").setIp(ipIn(net, 200))), 409, "ALREADY_EXISTS", "c1", "already attached", first.getIp(),
                "detach it first");
    }

    @Test
    void reattachingWithNewDnsNamesAddsThem() {
        ok(attach(req("c1").addDnsNames("one")), 201, Endpoint.newBuilder());
        Endpoint e = ok(attach(req("c1").addDnsNames("two")), 201, Endpoint.newBuilder());
        assertEquals(List.of("one.ep.example", "two.ep.example"), e.getDnsNamesList().stream().sorted().toList());
    }

    // ---- attach refusals ------------------------------------------------------------------

    @Test
    void attachToUnknownNetworkIsRefused() {
        String missing = name("nonet");
        refused(() -> attach(req("c1").setNetwork(missing)), 404, "NOT_FOUND", missing, "does not exist");
    }

    @Test
    void attachOnUnknownHostIsRefused() {
        String missing = name("nohost");
        refused(() -> attach(req("c1").setHost(missing)), 404, "NOT_FOUND", missing, "not registered");
    }

    @Test
    void attachWithoutHostIsRefused() {
        refused(() -> attach(req("c1").clearHost()), 400, "INVALID_ARGUMENT", "host name", "empty");
    }

    @Test
    void attachWithoutContainerIdIsRefused() {
        refused(() -> attach(req("")), 400, "INVALID_ARGUMENT", "container id", "empty");
    }

    @Test
    void attachWithContainerIdOver128CharactersIsRefused() {
        refused(() -> attach(req("c".repeat(129))), 400, "INVALID_ARGUMENT", "container id", "129 characters", "128");
    }

    @Test
    void attachWithContainerIdContainingASpaceIsRefused() {
        refused(() -> attach(req("my container")), 400, "INVALID_ARGUMENT", "container id", "my container");
    }

    @Test
    void attachWithAddressOutsideTheNetworkIsRefused() {
        refused(() -> attach(req("c1").setIp("100.96.0.5")), 400, "INVALID_ARGUMENT", "100.96.0.5", "outside", net.getName());
    }

    @Test
    void attachClaimingTheNetworkAddressIsRefused() {
        refused(() -> attach(req("c1").setIp(ipIn(net, 0))), 400, "INVALID_ARGUMENT", ipIn(net, 0), "network address");
    }

    @Test
    void attachClaimingTheBroadcastAddressIsRefused() {
        refused(() -> attach(req("c1").setIp(ipIn(net, 255))), 400, "INVALID_ARGUMENT", ipIn(net, 255), "broadcast address");
    }

    @Test
    void attachClaimingATakenAddressIsRefused() {
        Endpoint first = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        refused(() -> attach(req("c2").setIp(first.getIp())), 409, "ALREADY_EXISTS", first.getIp(), "already held", "c1");
    }

    @Test
    void attachClaimingAnAddressHeldByAPlainAllocationIsRefused() {
        admin().body(json(ClaimRequest.newBuilder().setNetwork(net.getName()).setIp(ipIn(net, 9)).setHost(host).setOwner("plain")))
                .post(API + "/ipam/claim").then().statusCode(200);
        refused(() -> attach(req("c1").setIp(ipIn(net, 9))), 409, "ALREADY_EXISTS", ipIn(net, 9), "plain");
    }

    @Test
    void attachWithMalformedAddressIsRefused() {
        refused(() -> attach(req("c1").setIp("100.66.1")), 400, "INVALID_ARGUMENT", "100.66.1", "not an IPv4 address");
    }

    @Test
    void attachWithMalformedMacIsRefused() {
        refused(() -> attach(req("c1").setMac("02:00:00:00:00")), 400, "INVALID_ARGUMENT", "MAC", "02:00:00:00:00", "malformed");
    }

    @Test
    void attachWithMulticastMacIsRefused() {
        refused(() -> attach(req("c1").setMac("01:00:5e:00:00:01")), 400, "INVALID_ARGUMENT", "01:00:5e:00:00:01", "multicast");
    }

    @Test
    void attachWithAMacTakenInTheNetworkIsRefused() {
        ok(attach(req("c1").setMac("02:00:00:00:00:42")), 201, Endpoint.newBuilder());
        refused(() -> attach(req("c2").setMac("02:00:00:00:00:42")), 409, "ALREADY_EXISTS", "02:00:00:00:00:42", "already used");
    }

    @Test
    void attachWithADnsLabelOver63CharactersIsRefused() {
        refused(() -> attach(req("c1").addDnsNames("l".repeat(64))), 400, "INVALID_ARGUMENT", "label of 64 characters", "63");
    }

    @Test
    void attachWithADnsNameOver253CharactersIsRefused() {
        String longName = ("a".repeat(50) + ".").repeat(5) + "example"; // 262 characters
        refused(() -> attach(req("c1").addDnsNames(longName)), 400, "INVALID_ARGUMENT", "characters", "253");
    }

    @Test
    void attachWithAnInvalidDnsNameIsRefused() {
        refused(() -> attach(req("c1").addDnsNames("web_1")), 400, "INVALID_ARGUMENT", "web_1", "invalid");
    }

    /** An explicit MAC may equal the MAC the control plane would derive for a later address; attach must still work. */
    @Test
    void attachWithoutMacSucceedsWhenTheDerivedMacIsAlreadyTaken() {
        String[] o = ipIn(net, 2).split("\\.");
        String derivedForDot2 = String.format("0e:00:%02x:%02x:%02x:%02x", Integer.parseInt(o[0]), Integer.parseInt(o[1]),
                Integer.parseInt(o[2]), Integer.parseInt(o[3]));
        Endpoint first = ok(attach(req("c1").setMac(derivedForDot2)), 201, Endpoint.newBuilder());
        assertEquals(ipIn(net, 1), first.getIp());
        Response r = attach(req("c2"));
        assertEquals(201, r.statusCode(), () -> "attach without a MAC was refused: " + r.asString());
        Endpoint second = RestFixture.parse(r, Endpoint.newBuilder());
        assertNotEquals(first.getMac(), second.getMac());
    }

    @Test
    void attachToAFullNetworkIsRefused() {
        Network tiny = fx.network("tiny", 30, null);
        ok(attach(req("t1").setNetwork(tiny.getName())), 201, Endpoint.newBuilder());
        ok(attach(req("t2").setNetwork(tiny.getName())), 201, Endpoint.newBuilder());
        refused(() -> attach(req("t3").setNetwork(tiny.getName())), 507, "RESOURCE_EXHAUSTED", tiny.getName(), "no free address");
    }

    // ---- get / list -----------------------------------------------------------------------

    @Test
    void getReturnsTheEndpoint() {
        Endpoint e = ok(attach(req("c1").addDnsNames("g")), 201, Endpoint.newBuilder());
        assertEquals(e, ok(admin().get(API + "/endpoints/" + e.getId()), Endpoint.newBuilder()));
    }

    @Test
    void getUnknownEndpointIs404() {
        refused(() -> admin().get(API + "/endpoints/ep-0000000000000000"), 404, "NOT_FOUND", "ep-0000000000000000", "does not exist");
    }

    @Test
    void listFiltersByNetworkHostAndContainer() {
        Endpoint a = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        Endpoint b = ok(attach(req("c2")), 201, Endpoint.newBuilder());
        assertEquals(List.of(a, b), list("?network=" + net.getName()).getEndpointsList());
        assertEquals(List.of(a, b), list("?host=" + host).getEndpointsList());
        assertEquals(List.of(b), list("?network=" + net.getName() + "&container_id=c2").getEndpointsList());
        assertTrue(list("").getEndpointsList().containsAll(List.of(a, b)));
        assertEquals(revision(), list("").getRevision());
    }

    @Test
    void listWithAnInvalidNetworkFilterIsRefused() {
        refused(() -> admin().get(API + "/endpoints?network=Bad_Name"), 400, "INVALID_ARGUMENT", "Bad_Name");
    }

    // ---- detach ---------------------------------------------------------------------------

    @Test
    void deleteDetachesTheEndpoint() {
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        DetachResponse d = ok(admin().delete(API + "/endpoints/" + e.getId()), DetachResponse.newBuilder());
        assertEquals(List.of(e), d.getDetachedList());
        assertEquals(revision(), d.getRevision());
        RestFixture.assertError(admin().get(API + "/endpoints/" + e.getId()), 404, "NOT_FOUND", e.getId());
    }

    @Test
    void detachFreesTheAddressForAClaim() {
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        Endpoint again = ok(attach(req("c2").setIp(e.getIp())), 201, Endpoint.newBuilder());
        assertEquals(e.getIp(), again.getIp());
    }

    @Test
    void detachFreesTheAddressForAPlainClaim() {
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        admin().body(json(ClaimRequest.newBuilder().setNetwork(net.getName()).setIp(e.getIp()).setHost(host).setOwner("after")))
                .post(API + "/ipam/claim").then().statusCode(200);
    }

    @Test
    void detachByContainerRemovesItsEndpoints() {
        Network other = fx.network("ep2");
        Endpoint a = ok(attach(req("shared")), 201, Endpoint.newBuilder());
        Endpoint b = ok(attach(req("shared").setNetwork(other.getName())), 201, Endpoint.newBuilder());
        DetachResponse d = ok(admin().body(json(DetachRequest.newBuilder().setContainerId("shared").setHost(host)))
                .post(API + "/endpoints/detach"), DetachResponse.newBuilder());
        assertEquals(2, d.getDetachedCount());
        assertTrue(d.getDetachedList().containsAll(List.of(a, b)));
        assertEquals(List.of(), list("?host=" + host).getEndpointsList());
    }

    @Test
    void detachByContainerAndNetworkKeepsOtherNetworks() {
        Network other = fx.network("ep3");
        ok(attach(req("shared")), 201, Endpoint.newBuilder());
        Endpoint b = ok(attach(req("shared").setNetwork(other.getName())), 201, Endpoint.newBuilder());
        DetachResponse d = ok(admin().body(json(DetachRequest.newBuilder().setContainerId("shared").setNetwork(net.getName())))
                .post(API + "/endpoints/detach"), DetachResponse.newBuilder());
        assertEquals(1, d.getDetachedCount());
        assertEquals(List.of(b), list("?host=" + host).getEndpointsList());
    }

    @Test
    void detachRemovesTheEndpointsDnsRecords() {
        Endpoint e = ok(attach(req("c1").addDnsNames("gone")), 201, Endpoint.newBuilder());
        admin().get(API + "/dns/lookup/gone.ep.example").then().statusCode(200);
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        RestFixture.assertError(admin().get(API + "/dns/lookup/gone.ep.example"), 404, "NOT_FOUND", "gone.ep.example");
    }

    @Test
    void deleteUnknownEndpointIsRefused() {
        refused(() -> admin().delete(API + "/endpoints/ep-0000000000000000"), 404, "NOT_FOUND", "ep-0000000000000000");
    }

    @Test
    void detachOfUnknownContainerIsRefused() {
        String c = name("ghost");
        refused(() -> admin().body(json(DetachRequest.newBuilder().setContainerId(c))).post(API + "/endpoints/detach"), 404,
                "NOT_FOUND", c);
    }

    @Test
    void detachWithNeitherIdNorContainerIsRefused() {
        refused(() -> admin().body("{}").post(API + "/endpoints/detach"), 400, "INVALID_ARGUMENT", "container id");
    }

    /** DetachRequest.host: "when set, only its endpoints are detached" - also when an endpoint id is given. */
    @Test
    void detachByIdOnAnotherHostIsRefused() {
        String other = fx.host("ep-other");
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        refused(() -> admin().body(json(DetachRequest.newBuilder().setEndpointId(e.getId()).setHost(other))).post(API + "/endpoints/detach"),
                404, "NOT_FOUND", e.getId());
        assertEquals(e, ok(admin().get(API + "/endpoints/" + e.getId()), Endpoint.newBuilder()));
    }

    @Test
    void detachByIdWithItsHostDetaches() {
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        DetachResponse d = ok(admin().body(json(DetachRequest.newBuilder().setEndpointId(e.getId()).setHost(host)))
                .post(API + "/endpoints/detach"), DetachResponse.newBuilder());
        assertEquals(List.of(e), d.getDetachedList());
    }

    @Test
    void detachingTwiceIsRefusedTheSecondTime() {
        Endpoint e = ok(attach(req("c1")), 201, Endpoint.newBuilder());
        admin().delete(API + "/endpoints/" + e.getId()).then().statusCode(200);
        refused(() -> admin().delete(API + "/endpoints/" + e.getId()), 404, "NOT_FOUND", e.getId());
    }
}
