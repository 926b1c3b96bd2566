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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.Allocation;
import io.weft.api.v1.ClaimRequest;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.HostUsage;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListAllocationsResponse;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkUsage;
import io.weft.api.v1.ReleaseRequest;
import io.weft.api.v1.ReleaseResponse;

/** /api/v1/ipam: allocate, claim, release, allocations, status, and every refusal. */
@QuarkusTest
class IpamRestTest extends RestTestBase {
    Network net;
    String host;

    @BeforeEach
    void setUp() {
        net = fx.network("ipam");
        host = fx.host("ipam-h");
    }

    Response allocate(String owner) {
        return admin().body(json(AllocateRequest.newBuilder().setNetwork(net.getName()).setHost(host).setOwner(owner)))
                .post(API + "/ipam/allocate");
    }

    static Response claim(ClaimRequest.Builder req) {
        return admin().body(json(req)).post(API + "/ipam/claim");
    }

    ClaimRequest.Builder claimReq(String ip, String owner) {
        return ClaimRequest.newBuilder().setNetwork(net.getName()).setIp(ip).setHost(host).setOwner(owner);
    }

    Response release(String ip) {
        return admin().body(json(ReleaseRequest.newBuilder().setNetwork(net.getName()).setIp(ip))).post(API + "/ipam/release");
    }

    NetworkUsage status() {
        IpamStatusResponse s = ok(admin().get(API + "/ipam/status?network=" + net.getName()), IpamStatusResponse.newBuilder());
        assertEquals(1, s.getNetworksCount());
        return s.getNetworks(0);
    }

    // ---- allocate -------------------------------------------------------------------------

    @Test
    void allocateHandsOutTheFirstUsableAddress() {
        long before = revision();
        Allocation a = ok(allocate("o1"), Allocation.newBuilder());
        assertEquals(net.getName(), a.getNetwork());
        assertEquals(ipIn(net, 1), a.getIp());
        assertEquals(24, a.getPrefixLength());
        assertEquals(host, a.getHost());
        assertEquals("o1", a.getOwner());
        assertEquals("", a.getEndpointId());
        assertEquals(before + 1, a.getRevision());
        assertEquals(before + 1, revision());
    }

    @Test
    void allocateHandsOutSuccessiveAddresses() {
        Allocation a = ok(allocate("o1"), Allocation.newBuilder());
        Allocation b = ok(allocate("o2"), Allocation.newBuilder());
        assertEquals(ipIn(net, 1), a.getIp());
        assertEquals(ipIn(net, 2), b.getIp());
    }

    @Test
    void allocateSkipsClaimedAddresses() {
        ok(claim(claimReq(ipIn(net, 1), "c")), Allocation.newBuilder());
        Allocation a = ok(allocate("o1"), Allocation.newBuilder());
        assertEquals(ipIn(net, 2), a.getIp());
    }

    @Test
    void allocateWithTheJoinTokenIsAllowed() {
        Response r = join().body(json(AllocateRequest.newBuilder().setNetwork(net.getName()).setHost(host).setOwner("j")))
                .post(API + "/ipam/allocate");
        assertEquals(200, r.statusCode(), r.asString());
    }

    @Test
    void allocateNeverHandsOutTheNetworkOrBroadcastAddress() {
        Network tiny = fx.network("ipam-tiny", 30, null);
        AllocateRequest.Builder req = AllocateRequest.newBuilder().setNetwork(tiny.getName()).setHost(host).setOwner("o");
        Allocation a = ok(admin().body(json(req)).post(API + "/ipam/allocate"), Allocation.newBuilder());
        Allocation b = ok(admin().body(json(req.setOwner("p"))).post(API + "/ipam/allocate"), Allocation.newBuilder());
        assertEquals(List.of(ipIn(tiny, 1), ipIn(tiny, 2)), List.of(a.getIp(), b.getIp()));
    }

    @Test
    void allocateInAFullNetworkIsRefused() {
        Network tiny = fx.network("ipam-full", 30, null);
        AllocateRequest.Builder req = AllocateRequest.newBuilder().setNetwork(tiny.getName()).setHost(host).setOwner("o");
        admin().body(json(req)).post(API + "/ipam/allocate").then().statusCode(200);
        admin().body(json(req)).post(API + "/ipam/allocate").then().statusCode(200);
        refused(() -> admin().body(json(req)).post(API + "/ipam/allocate"), 507, "RESOURCE_EXHAUSTED", tiny.getName(), tiny.getCidr(),
                "no free address");
    }

    @Test
    void allocateInUnknownNetworkIsRefused() {
        String missing = name("nonet");
        refused(() -> admin().body(json(AllocateRequest.newBuilder().setNetwork(missing).setHost(host).setOwner("o")))
                .post(API + "/ipam/allocate"), 404, "NOT_FOUND", missing);
    }

    @Test
    void allocateForUnknownHostIsRefused() {
        String missing = name("nohost");
        refused(() -> admin().body(json(AllocateRequest.newBuilder().setNetwork(net.getName()).setHost(missing).setOwner("o")))
                .post(API + "/ipam/allocate"), 404, "NOT_FOUND", missing, "not registered");
    }

    @Test
    void allocateWithoutOwnerIsRefused() {
        refused(() -> allocate(""), 400, "INVALID_ARGUMENT", "owner", "empty");
    }

    @Test
    void allocateWithAnOwnerOver128CharactersIsRefused() {
        refused(() -> allocate("o".repeat(129)), 400, "INVALID_ARGUMENT", "owner", "129 characters");
    }

    // ---- claim ----------------------------------------------------------------------------

    @Test
    void claimTakesTheRequestedAddress() {
        Allocation a = ok(claim(claimReq(ipIn(net, 50), "o1")), Allocation.newBuilder());
        assertEquals(ipIn(net, 50), a.getIp());
        assertEquals("o1", a.getOwner());
    }

    @Test
    void claimingAnAddressTheSameOwnerHoldsIsANoOp() {
        Allocation a = ok(claim(claimReq(ipIn(net, 51), "o1")), Allocation.newBuilder());
        long rev = revision();
        Allocation again = ok(claim(claimReq(ipIn(net, 51), "o1")), Allocation.newBuilder());
        assertEquals(a, again);
        assertEquals(rev, revision());
    }

    @Test
    void claimOfATakenAddressIsRefused() {
        ok(claim(claimReq(ipIn(net, 52), "first")), Allocation.newBuilder());
        refused(() -> claim(claimReq(ipIn(net, 52), "second")), 409, "ALREADY_EXISTS", ipIn(net, 52), "already held", "first", host);
    }

    @Test
    void claimOfAnEndpointsAddressIsRefused() {
        Endpoint e = fx.attach(net.getName(), host, "c1", null);
        refused(() -> claim(claimReq(e.getIp(), "other")), 409, "ALREADY_EXISTS", e.getIp(), "c1");
    }

    @Test
    void claimOutsideTheNetworkIsRefused() {
        refused(() -> claim(claimReq("100.96.0.9", "o")), 400, "INVALID_ARGUMENT", "100.96.0.9", "outside", net.getCidr());
    }

    @Test
    void claimOfTheNetworkAddressIsRefused() {
        refused(() -> claim(claimReq(ipIn(net, 0), "o")), 400, "INVALID_ARGUMENT", ipIn(net, 0), "network address", "never handed out");
    }

    @Test
    void claimOfTheBroadcastAddressIsRefused() {
        refused(() -> claim(claimReq(ipIn(net, 255), "o")), 400, "INVALID_ARGUMENT", ipIn(net, 255), "broadcast address");
    }

    @Test
    void claimOfAMalformedAddressIsRefused() {
        refused(() -> claim(claimReq("100.66.0.256", "o")), 400, "INVALID_ARGUMENT", "100.66.0.256", "not an IPv4 address");
    }

    @Test
    void claimWithoutAddressIsRefused() {
        refused(() -> claim(claimReq("", "o")), 400, "INVALID_ARGUMENT", "address", "empty");
    }

    @Test
    void claimInUnknownNetworkIsRefused() {
        String missing = name("nonet");
        refused(() -> claim(claimReq(ipIn(net, 5), "o").setNetwork(missing)), 404, "NOT_FOUND", missing);
    }

    @Test
    void claimForUnknownHostIsRefused() {
        String missing = name("nohost");
        refused(() -> claim(claimReq(ipIn(net, 5), "o").setHost(missing)), 404, "NOT_FOUND", missing);
    }

    // ---- release --------------------------------------------------------------------------

    @Test
    void releaseFreesTheAddress() {
        Allocation a = ok(allocate("o1"), Allocation.newBuilder());
        ReleaseResponse r = ok(release(a.getIp()), ReleaseResponse.newBuilder());
        assertEquals(revision(), r.getRevision());
        assertEquals(a.getRevision() + 1, r.getRevision());
        ok(claim(claimReq(a.getIp(), "o2")), Allocation.newBuilder());
    }

    @Test
    void releaseOfAnUnallocatedAddressIsRefused() {
        refused(() -> release(ipIn(net, 99)), 404, "NOT_FOUND", ipIn(net, 99), "not allocated");
    }

    @Test
    void releaseOfAnEndpointsAddressIsRefused() {
        Endpoint e = fx.attach(net.getName(), host, "c1", null);
        refused(() -> release(e.getIp()), 409, "FAILED_PRECONDITION", e.getIp(), e.getId(), "detach");
    }

    @Test
    void releaseOfAMalformedAddressIsRefused() {
        refused(() -> release("x.y"), 400, "INVALID_ARGUMENT", "x.y");
    }

    @Test
    void releaseInUnknownNetworkIsRefused() {
        String missing = name("nonet");
        refused(() -> admin().body(json(ReleaseRequest.newBuilder().setNetwork(missing).setIp("100.66.0.1"))).post(API + "/ipam/release"),
                404, "NOT_FOUND", missing);
    }

    // ---- allocations / status -------------------------------------------------------------

    @Test
    void allocationsListsPlainAndEndpointAddresses() {
        Allocation plain = ok(allocate("o1"), Allocation.newBuilder());
        Endpoint e = fx.attach(net.getName(), host, "c1", null);
        ListAllocationsResponse l = ok(admin().get(API + "/ipam/allocations?network=" + net.getName()), ListAllocationsResponse.newBuilder());
        assertEquals(2, l.getAllocationsCount());
        assertEquals(plain, l.getAllocations(0));
        assertEquals(e.getIp(), l.getAllocations(1).getIp());
        assertEquals(e.getId(), l.getAllocations(1).getEndpointId());
        assertEquals("c1", l.getAllocations(1).getOwner());
        assertEquals(revision(), l.getRevision());
    }

    @Test
    void allocationsFilterByHost() {
        String other = fx.host("ipam-h2");
        ok(allocate("o1"), Allocation.newBuilder());
        ok(claim(claimReq(ipIn(net, 30), "o2").setHost(other)), Allocation.newBuilder());
        ListAllocationsResponse l = ok(admin().get(API + "/ipam/allocations?host=" + other), ListAllocationsResponse.newBuilder());
        assertEquals(List.of(ipIn(net, 30)), l.getAllocationsList().stream().map(Allocation::getIp).toList());
    }

    @Test
    void statusOfAFreshNetworkIsAllFree() {
        NetworkUsage u = status();
        assertEquals(net.getName(), u.getNetwork());
        assertEquals(net.getCidr(), u.getCidr());
        assertEquals(254, u.getTotal());
        assertEquals(0, u.getUsed());
        assertEquals(254, u.getFree());
        assertEquals(0, u.getHostsCount());
    }

    @Test
    void statusCountsUsedAndFreePerHost() {
        String other = fx.host("ipam-h3");
        ok(allocate("o1"), Allocation.newBuilder());
        ok(claim(claimReq(ipIn(net, 40), "o2")), Allocation.newBuilder());
        fx.attach(net.getName(), host, "c1", null);
        ok(claim(claimReq(ipIn(net, 41), "o3").setHost(other)), Allocation.newBuilder());
        NetworkUsage u = status();
        assertEquals(254, u.getTotal());
        assertEquals(4, u.getUsed());
        assertEquals(250, u.getFree());
        assertEquals(2, u.getHostsCount());
        assertEquals(Set.of(HostUsage.newBuilder().setHost(host).setUsed(3).build(),
                HostUsage.newBuilder().setHost(other).setUsed(1).build()), Set.copyOf(u.getHostsList()));
    }

    @Test
    void statusFollowsReleases() {
        Allocation a = ok(allocate("o1"), Allocation.newBuilder());
        ok(allocate("o2"), Allocation.newBuilder());
        ok(release(a.getIp()), ReleaseResponse.newBuilder());
        NetworkUsage u = status();
        assertEquals(1, u.getUsed());
        assertEquals(253, u.getFree());
    }

    @Test
    void statusOfATinyNetworkCountsTwoUsableAddresses() {
        Network tiny = fx.network("ipam-st", 30, null);
        IpamStatusResponse s = ok(admin().get(API + "/ipam/status?network=" + tiny.getName()), IpamStatusResponse.newBuilder());
        assertEquals(2, s.getNetworks(0).getTotal());
    }

    @Test
    void statusWithoutNetworkListsEveryNetwork() {
        IpamStatusResponse s = ok(admin().get(API + "/ipam/status"), IpamStatusResponse.newBuilder());
        List<String> names = s.getNetworksList().stream().map(NetworkUsage::getNetwork).toList();
        assertTrue(names.contains(net.getName()), names.toString());
        assertTrue(names.contains("default"), names.toString());
        NetworkUsage d = s.getNetworksList().stream().filter(x -> x.getNetwork().equals("default")).findFirst().orElseThrow();
        assertEquals((1L << 20) - 2, d.getTotal());
        assertEquals(d.getTotal(), d.getUsed() + d.getFree());
    }

    @Test
    void statusOfUnknownNetworkIsRefused() {
        String missing = name("nonet");
        refused(() -> admin().get(API + "/ipam/status?network=" + missing), 404, "NOT_FOUND", missing);
    }
}
