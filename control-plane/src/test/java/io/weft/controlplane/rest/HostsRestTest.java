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

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.Host;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListAllocationsResponse;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.ListEndpointsResponse;
import io.weft.api.v1.ListHostsResponse;
import io.weft.api.v1.ListTargetsResponse;
import io.weft.api.v1.Network;
import io.weft.api.v1.RemoveHostResponse;
import io.weft.controlplane.support.AgentClient;
import io.weft.controlplane.support.TestApi;

/** /api/v1/hosts: list, get, remove (which releases everything the host held). */
@QuarkusTest
class HostsRestTest extends RestTestBase {

    static Host get(String name) {
        return ok(admin().get(API + "/hosts/" + name), Host.newBuilder());
    }

    @Test
    void aRegisteredHostIsListed() {
        String h = fx.host("lst");
        ListHostsResponse l = ok(admin().get(API + "/hosts"), ListHostsResponse.newBuilder());
        assertTrue(l.getHostsList().stream().anyMatch(x -> x.getName().equals(h)), l.toString());
        assertTrue(l.getRevision() > 0);
    }

    @Test
    void getReturnsWhatTheDataPlaneAnnounced() {
        String h = fx.host("get");
        Host host = get(h);
        var hello = AgentClient.hello(h, 0, "");
        assertEquals(h, host.getName());
        assertTrue(host.getPeerId() > 0);
        assertEquals(hello.getUnderlayEndpointsList(), host.getUnderlayEndpointsList());
        assertEquals(hello.getPublicKey(), host.getPublicKey());
        assertEquals(List.of("encryption"), host.getFeaturesList());
        assertEquals("test", host.getVersion());
        assertTrue(host.getRevision() > 0);
        assertTrue(host.hasLastSeen());
    }

    @Test
    void aHostIsConnectedWhileItsStreamIsOpen() throws Exception {
        String h = name("conn");
        try (TestApi api = new TestApi(url); AgentClient agent = AgentClient.open(api, TestApi.JOIN, -1)) {
            agent.sendHello(AgentClient.hello(h, 0, ""));
            assertTrue(agent.nextNonHeartbeat().hasWelcome());
            fx.adopt(h);
            assertTrue(get(h).getConnected());
        }
    }

    @Test
    void aHostIsDisconnectedOnceItsStreamCloses() throws Exception {
        String h = fx.host("disc"); // registers and closes the stream
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (get(h).getConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(get(h).getConnected(), "still connected 10 s after its stream closed");
    }

    @Test
    void getIsCaseInsensitive() {
        String h = fx.host("getci");
        assertEquals(h, get(h.toUpperCase()).getName());
    }

    @Test
    void hostsGetDistinctPeerIds() {
        assertNotEquals(get(fx.host("p1")).getPeerId(), get(fx.host("p2")).getPeerId());
    }

    @Test
    void getOfAnUnknownHostIsRefused() {
        String missing = name("nohost");
        refused(() -> admin().get(API + "/hosts/" + missing), 404, "NOT_FOUND", missing, "not registered");
    }

    @Test
    void getWithAnInvalidNameIsRefused() {
        refused(() -> admin().get(API + "/hosts/bad_host"), 400, "INVALID_ARGUMENT", "host name", "bad_host");
    }

    @Test
    void getWithAnOversizedNameIsRefused() {
        refused(() -> admin().get(API + "/hosts/" + "h".repeat(64)), 400, "INVALID_ARGUMENT", "64 characters", "63");
    }

    @Test
    void removeOfAnUnknownHostIsRefused() {
        String missing = name("nohost");
        refused(() -> admin().delete(API + "/hosts/" + missing), 404, "NOT_FOUND", missing);
    }

    @Test
    void removeDeletesTheHost() {
        String h = fx.host("rm");
        RemoveHostResponse r = ok(admin().delete(API + "/hosts/" + h), RemoveHostResponse.newBuilder());
        assertEquals(0, r.getReleasedEndpoints());
        assertEquals(0, r.getReleasedAddresses());
        assertEquals(revision(), r.getRevision());
        RestFixture.assertError(admin().get(API + "/hosts/" + h), 404, "NOT_FOUND", h);
        ListHostsResponse l = ok(admin().get(API + "/hosts"), ListHostsResponse.newBuilder());
        assertFalse(l.getHostsList().stream().anyMatch(x -> x.getName().equals(h)));
    }

    @Test
    void removeReleasesEndpointsAddressesDnsRecordsAndTargets() {
        Network net = fx.network("rmh", 24, name("rmh") + ".test");
        String h = fx.host("rmh");
        String bystander = fx.host("rmh-other");
        var e1 = fx.attach(net.getName(), h, "c1", null, "one");
        fx.attach(net.getName(), h, "c2", null, "two");
        var kept = fx.attach(net.getName(), bystander, "c3", null, "three");
        admin().body(json(AllocateRequest.newBuilder().setNetwork(net.getName()).setHost(h).setOwner("plain")))
                .post(API + "/ipam/allocate").then().statusCode(200);
        admin().body(json(AddDnsRecordsRequest.newBuilder().setName("ext." + net.getDnsDomain()).addIps("198.18.9.1").setHost(h)))
                .post(API + "/dns/records").then().statusCode(200);
        admin().body(json(ConnectRequest.newBuilder().setHost(h).addAddresses("198.18.9.2"))).post(API + "/peers/connect")
                .then().statusCode(200);

        RemoveHostResponse r = ok(admin().delete(API + "/hosts/" + h), RemoveHostResponse.newBuilder());
        assertEquals(2, r.getReleasedEndpoints());
        assertEquals(3, r.getReleasedAddresses());
        assertEquals(revision(), r.getRevision());

        ListEndpointsResponse eps = ok(admin().get(API + "/endpoints?network=" + net.getName()), ListEndpointsResponse.newBuilder());
        assertEquals(List.of(kept), eps.getEndpointsList());
        ListAllocationsResponse allocs = ok(admin().get(API + "/ipam/allocations?network=" + net.getName()),
                ListAllocationsResponse.newBuilder());
        assertEquals(List.of(kept.getIp()), allocs.getAllocationsList().stream().map(a -> a.getIp()).toList());
        ListDnsRecordsResponse dns = ok(admin().get(API + "/dns/records?domain=" + net.getDnsDomain()), ListDnsRecordsResponse.newBuilder());
        assertEquals(List.of("three." + net.getDnsDomain()), dns.getRecordsList().stream().map(x -> x.getName()).toList());
        ListTargetsResponse targets = ok(admin().get(API + "/peers/targets"), ListTargetsResponse.newBuilder());
        assertFalse(targets.getTargetsList().stream().anyMatch(t -> t.getHost().equals(h)), targets.toString());
        IpamStatusResponse s = ok(admin().get(API + "/ipam/status?network=" + net.getName()), IpamStatusResponse.newBuilder());
        assertEquals(1, s.getNetworks(0).getUsed());
        RestFixture.assertError(admin().get(API + "/endpoints/" + e1.getId()), 404, "NOT_FOUND", e1.getId());
        // the addresses are free again
        fx.attach(net.getName(), bystander, "c4", e1.getIp());
    }

    @Test
    void aRemovedHostThatRegistersAgainGetsANewPeerId() throws Exception {
        String h = fx.host("again");
        int first = get(h).getPeerId();
        admin().delete(API + "/hosts/" + h).then().statusCode(200);
        try (TestApi api = new TestApi(url)) {
            AgentClient.register(api, h);
        }
        assertNotEquals(first, get(h).getPeerId(), "peer ids are never reused");
    }
}
