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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.ConnectResponse;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.ForgetRequest;
import io.weft.api.v1.ForgetResponse;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.ListLinksResponse;
import io.weft.api.v1.ListTargetsResponse;
import io.weft.api.v1.PeerTarget;
import io.weft.controlplane.support.AgentClient;
import io.weft.controlplane.support.TestApi;

/** /api/v1/peers: connect, forget, targets, links. */
@QuarkusTest
class PeersRestTest extends RestTestBase {
    /** A random /24 of the underlay range for this test's targets. */
    String subnet;
    final List<ForgetRequest> forgetLater = new ArrayList<>();

    @BeforeEach
    void setUp() {
        subnet = "198." + (18 + ThreadLocalRandom.current().nextInt(2)) + "." + ThreadLocalRandom.current().nextInt(256) + ".";
    }

    @AfterEach
    void tearDown() {
        for (ForgetRequest f : forgetLater) {
            for (String a : f.getAddressesList()) {
                admin().body(json(ForgetRequest.newBuilder().setHost(f.getHost()).addAddresses(a))).post(API + "/peers/forget");
            }
        }
    }

    Response connect(ConnectRequest.Builder req) {
        forgetLater.add(ForgetRequest.newBuilder().setHost(req.getHost()).addAllAddresses(req.getAddressesList()).build());
        return admin().body(json(req)).post(API + "/peers/connect");
    }

    static Response forget(ForgetRequest.Builder req) {
        return admin().body(json(req)).post(API + "/peers/forget");
    }

    static ListTargetsResponse targets(String query) {
        return ok(admin().get(API + "/peers/targets" + query), ListTargetsResponse.newBuilder());
    }

    static PeerTarget target(String host, String address) {
        return PeerTarget.newBuilder().setHost(host).setAddress(address).build();
    }

    static List<PeerTarget> withoutRevision(List<PeerTarget> l) {
        return l.stream().map(t -> t.toBuilder().clearRevision().build()).toList();
    }

    // ---- connect --------------------------------------------------------------------------

    @Test
    void connectAddsATargetWithTheDefaultPort() {
        long before = revision();
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().addAddresses(subnet + "1")), ConnectResponse.newBuilder());
        assertEquals(before + 1, r.getRevision());
        assertTrue(r.getTargetsList().contains(PeerTarget.newBuilder().setAddress(subnet + "1:6783").setRevision(before + 1).build()),
                r.toString());
        assertTrue(withoutRevision(targets("").getTargetsList()).contains(target("", subnet + "1:6783")));
    }

    @Test
    void connectKeepsAnExplicitPort() {
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().addAddresses(subnet + "2:7000")), ConnectResponse.newBuilder());
        assertTrue(withoutRevision(r.getTargetsList()).contains(target("", subnet + "2:7000")));
    }

    @Test
    void connectForAHostIsListedForThatHostWithTheGlobalTargets() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().addAddresses(subnet + "3")), ConnectResponse.newBuilder());
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "4")), ConnectResponse.newBuilder());
        assertEquals(List.of(target(h, subnet + "4:6783")), withoutRevision(r.getTargetsList()));
        List<PeerTarget> forHost = withoutRevision(targets("?host=" + h).getTargetsList());
        assertTrue(forHost.contains(target(h, subnet + "4:6783")), forHost.toString());
        assertTrue(forHost.contains(target("", subnet + "3:6783")), forHost.toString());
        List<PeerTarget> forOther = withoutRevision(targets("?host=" + name("other")).getTargetsList());
        assertFalse(forOther.contains(target(h, subnet + "4:6783")));
    }

    @Test
    void connectingAnExistingTargetChangesNothing() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "5")), ConnectResponse.newBuilder());
        long rev = revision();
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "5:6783")), ConnectResponse.newBuilder());
        assertEquals(List.of(target(h, subnet + "5:6783")), withoutRevision(r.getTargetsList()));
        assertEquals(rev, revision());
    }

    /** A no-op connect commits nothing, so it should not report a revision the store has not reached. */
    @Test
    void connectingAnExistingTargetReportsTheCurrentRevision() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "5")), ConnectResponse.newBuilder());
        long rev = revision();
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "5")), ConnectResponse.newBuilder());
        assertEquals(rev, r.getRevision(), "revision of a no-op connect (store is at " + rev + ")");
    }

    @Test
    void connectWithReplaceReplacesTheHostsTargets() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "6").addAddresses(subnet + "7")), ConnectResponse.newBuilder());
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().setHost(h).setReplace(true).addAddresses(subnet + "7")
                .addAddresses(subnet + "8")), ConnectResponse.newBuilder());
        assertEquals(List.of(target(h, subnet + "7:6783"), target(h, subnet + "8:6783")), withoutRevision(r.getTargetsList()));
    }

    @Test
    void connectWithReplaceAndNoAddressesClearsTheHostsTargets() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "9")), ConnectResponse.newBuilder());
        ConnectResponse r = ok(connect(ConnectRequest.newBuilder().setHost(h).setReplace(true)), ConnectResponse.newBuilder());
        assertEquals(List.of(), r.getTargetsList());
        assertFalse(withoutRevision(targets("").getTargetsList()).contains(target(h, subnet + "9:6783")));
    }

    @Test
    void connectWithoutAddressesIsRefused() {
        refused(() -> connect(ConnectRequest.newBuilder()), 400, "INVALID_ARGUMENT", "at least one address");
    }

    @Test
    void connectToAMalformedAddressIsRefused() {
        refused(() -> connect(ConnectRequest.newBuilder().addAddresses(subnet + "10").addAddresses("peer.example")), 400,
                "INVALID_ARGUMENT", "peer address", "peer.example");
    }

    @Test
    void connectWithAnInvalidPortIsRefused() {
        refused(() -> connect(ConnectRequest.newBuilder().addAddresses(subnet + "11:70000")), 400, "INVALID_ARGUMENT",
                subnet + "11:70000", "invalid port");
    }

    @Test
    void connectWithAnInvalidHostIsRefused() {
        refused(() -> connect(ConnectRequest.newBuilder().setHost("bad host").addAddresses(subnet + "12")), 400, "INVALID_ARGUMENT",
                "bad host");
    }

    // ---- forget ---------------------------------------------------------------------------

    @Test
    void forgetRemovesTargets() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "13").addAddresses(subnet + "14")), ConnectResponse.newBuilder());
        long before = revision();
        ForgetResponse r = ok(forget(ForgetRequest.newBuilder().setHost(h).addAddresses(subnet + "13")), ForgetResponse.newBuilder());
        assertEquals(1, r.getRemoved());
        assertEquals(before + 1, r.getRevision());
        assertEquals(List.of(target(h, subnet + "14:6783")), withoutRevision(targets("").getTargetsList().stream()
                .filter(t -> t.getHost().equals(h)).toList()));
    }

    @Test
    void forgetOfAnUnknownTargetIsRefused() {
        refused(() -> forget(ForgetRequest.newBuilder().addAddresses(subnet + "15")), 404, "NOT_FOUND", subnet + "15:6783",
                "not a peer target");
    }

    @Test
    void forgetWithOneUnknownTargetRemovesNone() {
        String h = name("ph");
        ok(connect(ConnectRequest.newBuilder().setHost(h).addAddresses(subnet + "16")), ConnectResponse.newBuilder());
        refused(() -> forget(ForgetRequest.newBuilder().setHost(h).addAddresses(subnet + "16").addAddresses(subnet + "17")), 404,
                "NOT_FOUND", subnet + "17:6783", h);
    }

    @Test
    void forgetWithoutAddressesIsRefused() {
        refused(() -> forget(ForgetRequest.newBuilder()), 400, "INVALID_ARGUMENT", "at least one address");
    }

    @Test
    void forgetOfAMalformedAddressIsRefused() {
        refused(() -> forget(ForgetRequest.newBuilder().addAddresses("1.2.3")), 400, "INVALID_ARGUMENT", "1.2.3");
    }

    @Test
    void targetsWithAnInvalidHostFilterAreRefused() {
        refused(() -> admin().get(API + "/peers/targets?host=bad_host"), 400, "INVALID_ARGUMENT", "bad_host");
    }

    // ---- links ----------------------------------------------------------------------------

    @Test
    void linksShowWhatHostsReport() throws Exception {
        String h = name("lk");
        String peer = name("lk-peer");
        try (TestApi api = new TestApi(url); AgentClient agent = AgentClient.open(api, TestApi.JOIN, -1)) {
            agent.sendHello(AgentClient.hello(h, 0, ""));
            ControlMessage welcome = agent.nextNonHeartbeat();
            assertTrue(welcome.hasWelcome(), welcome.toString());
            fx.adopt(h);
            agent.report(LinkState.newBuilder().setToHost(peer).setState(LinkState.State.ESTABLISHED).setRttMicros(250)
                    .setEncrypted(true).setEndpoint(subnet + "20").build());
            List<LinkState> links = List.of();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (links.isEmpty() && System.nanoTime() < deadline) {
                ListLinksResponse reported = ok(admin().get(API + "/peers/links?host=" + h), ListLinksResponse.newBuilder());
                links = reported.getLinksList();
                if (links.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertEquals(1, links.size(), "link report not visible within 10 s");
            LinkState l = links.get(0);
            assertEquals(h, l.getFromHost());
            assertEquals(peer, l.getToHost());
            assertEquals(LinkState.State.ESTABLISHED, l.getState());
            assertEquals(250, l.getRttMicros());
            assertTrue(l.getEncrypted());
            assertEquals(subnet + "20:6783", l.getEndpoint());
            ListLinksResponse all = ok(admin().get(API + "/peers/links"), ListLinksResponse.newBuilder());
            assertTrue(all.getLinksList().contains(l));
        }
    }

    @Test
    void linksOfAHostThatReportedNothingAreEmpty() {
        String h = fx.host("quiet");
        ListLinksResponse l = ok(admin().get(API + "/peers/links?host=" + h), ListLinksResponse.newBuilder());
        assertEquals(List.of(), l.getLinksList());
    }

    @Test
    void linksWithAnInvalidHostFilterAreRefused() {
        refused(() -> admin().get(API + "/peers/links?host=bad_host"), 400, "INVALID_ARGUMENT", "bad_host");
    }
}
