package io.weft.controlplane.watch;

import static io.weft.controlplane.support.TestApi.ADMIN;
import static io.weft.controlplane.support.TestApi.JOIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.Change;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Hello;
import io.weft.api.v1.ListLinksRequest;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Network;
import io.weft.api.v1.Snapshot;
import io.weft.api.v1.Welcome;
import io.weft.controlplane.ops.Compactor;
import io.weft.controlplane.support.AgentClient;
import io.weft.controlplane.support.GrpcTestBase;
import io.weft.controlplane.support.TestApi;
import io.weft.controlplane.support.Unique;
import jakarta.inject.Inject;

/** The agent watch stream as a data plane uses it. */
@QuarkusTest
class WatchStreamTest extends GrpcTestBase {
    @Inject
    Compactor compactor;

    /** Opens a stream, says Hello, and reads Welcome plus the catch-up through Synced. */
    record Session(AgentClient client, Welcome welcome, List<ControlMessage> catchUp, long revision) {
    }

    Session connect(String host, long since, String storeId) throws InterruptedException {
        AgentClient c = AgentClient.open(api, JOIN, -1);
        c.sendHello(AgentClient.hello(host, since, storeId));
        ControlMessage first = c.nextNonHeartbeat();
        assertTrue(first.hasWelcome(), "first message is Welcome, got " + first);
        List<ControlMessage> catchUp = c.readUntil(ControlMessage::hasSynced);
        return new Session(c, first.getWelcome(), catchUp, catchUp.get(catchUp.size() - 1).getSynced().getRevision());
    }

    String addRecord(String ip) {
        String name = Unique.name("w");
        dns.addRecords(AddDnsRecordsRequest.newBuilder().setName(name).addIps(ip).build());
        return name + ".weave.local";
    }

    @Test
    void helloGetsWelcomeThenSnapshotThenSynced() throws Exception {
        String host = Unique.name("w");
        Session s = connect(host, 0, "");
        try (AgentClient c = s.client()) {
            assertTrue(s.welcome().getPeerId() > 0);
            assertFalse(s.welcome().getStoreId().isEmpty());
            assertTrue(s.catchUp().get(0).hasSnapshot(), "a new agent gets a snapshot first");
            Snapshot snap = s.catchUp().get(0).getSnapshot();
            long expect = snap.getRevision() + 1;
            for (ControlMessage m : s.catchUp().subList(1, s.catchUp().size() - 1)) {
                assertEquals(expect++, m.getDelta().getRevision(), "then the deltas after the snapshot, contiguous");
            }
            assertTrue(snap.getNetworksList().stream().anyMatch(n -> n.getName().equals("default")));
            boolean inSnapshot = snap.getHostsList().stream().anyMatch(h -> h.getName().equals(host) && h.getPeerId() == s.welcome().getPeerId());
            boolean inDeltas = s.catchUp().stream().filter(ControlMessage::hasDelta).flatMap(m -> m.getDelta().getChangesList().stream())
                    .anyMatch(ch -> ch.hasHostUpserted() && ch.getHostUpserted().getName().equals(host));
            assertTrue(inSnapshot || inDeltas, "the catch-up includes the host itself");
            assertTrue(s.revision() >= snap.getRevision());
        }
    }

    @Test
    void liveChangesArriveAsDeltasInRevisionOrder() throws Exception {
        Session s = connect(Unique.name("w"), 0, "");
        try (AgentClient c = s.client()) {
            Network n = Unique.network(networks, "live", 24);
            String name = addRecord("100.64.9.9");
            List<ControlMessage> got = c.readUntil(m -> m.hasDelta() && m.getDelta().getChangesList().stream()
                    .anyMatch(ch -> ch.hasDnsAdded() && ch.getDnsAdded().getName().equals(name)));
            long prev = s.revision();
            for (ControlMessage m : got) {
                assertTrue(m.hasDelta(), "only deltas after Synced, got " + m);
                assertEquals(prev + 1, m.getDelta().getRevision(), "deltas are contiguous");
                prev = m.getDelta().getRevision();
            }
            assertTrue(got.stream().anyMatch(m -> m.getDelta().getChangesList().stream()
                    .anyMatch(ch -> ch.hasNetworkUpserted() && ch.getNetworkUpserted().equals(n))));
        }
    }

    @Test
    void reconnectingWithAnOldRevisionGetsExactlyTheMissedDeltas() throws Exception {
        String host = Unique.name("w");
        Session first = connect(host, 0, "");
        first.client().close();
        long held = first.revision();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(addRecord("100.64.10." + (i + 1)));
        }
        long head = revision();
        Session again = connect(host, held, first.welcome().getStoreId());
        try (AgentClient c = again.client()) {
            List<ControlMessage> deltas = again.catchUp().subList(0, again.catchUp().size() - 1);
            assertTrue(deltas.stream().allMatch(ControlMessage::hasDelta), "no snapshot when the deltas are still held");
            long expect = held + 1;
            List<String> names = new ArrayList<>();
            for (ControlMessage m : deltas) {
                assertEquals(expect++, m.getDelta().getRevision(), "each missed revision exactly once, in order");
                for (Change ch : m.getDelta().getChangesList()) {
                    if (ch.hasDnsAdded()) {
                        names.add(ch.getDnsAdded().getName());
                    }
                }
            }
            assertTrue(again.revision() >= head);
            assertTrue(names.containsAll(missed), names + " should contain " + missed);
            assertEquals(first.welcome().getPeerId(), again.welcome().getPeerId(), "a host keeps its peer id");
        }
    }

    @Test
    void aRevisionOlderThanTheChangeLogGetsASnapshot() throws Exception {
        String host = Unique.name("w");
        Session first = connect(host, 0, "");
        first.client().close();
        for (int i = 0; i < 150; i++) { // more than the ring (64) and the retained log (50) in the test profile
            addRecord("100.64.11." + (i % 250 + 1));
        }
        compactor.compactNow();
        Session again = connect(host, first.revision(), first.welcome().getStoreId());
        try (AgentClient c = again.client()) {
            assertEquals(2, again.catchUp().size(), "a snapshot, then Synced");
            Snapshot snap = again.catchUp().get(0).getSnapshot();
            assertTrue(snap.getRevision() > first.revision() + 100);
        }
    }

    @Test
    void anotherStoresRevisionGetsASnapshot() throws Exception {
        Session s = connect(Unique.name("w"), 5, "some-other-store");
        try (AgentClient c = s.client()) {
            assertTrue(s.catchUp().get(0).hasSnapshot());
        }
    }

    @Test
    void aSlowAgentIsCutBackToASnapshotInsteadOfQueueing() throws Exception {
        String host = Unique.name("slow");
        TestApi slowApi = TestApi.withSmallWindow(url);
        AgentClient c = AgentClient.open(slowApi, JOIN, 1); // reads one message at a time until synced, then nothing
        try (slowApi; c) {
            c.keepAlive();
            c.sendHello(AgentClient.hello(host, 0, ""));
            assertTrue(c.next().hasWelcome());
            for (int i = 0; i < 1000; i++) {
                c.request(1);
                if (c.next().hasSynced()) {
                    break;
                }
            }
            // ~1.4 MB in 300 deltas while the agent reads nothing: far beyond its 16 KiB window, and more
            // revisions than the ring (64) and the retained log (50) of the test profile hold
            List<String> ips = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                ips.add("100.64.12." + i);
            }
            String longLabels = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + ".";
            List<String> bulk = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                bulk.add(longLabels + Unique.name("bulk") + ".weave.local");
                dns.addRecords(AddDnsRecordsRequest.newBuilder().setName(bulk.get(i)).addAllIps(ips).build());
            }
            compactor.compactNow();
            long head = revision();
            c.request(1_000_000);
            boolean snapshotSeen = false;
            long held = -1;
            for (int i = 0; i < 10_000 && !(snapshotSeen && held >= head); i++) {
                ControlMessage m = c.nextNonHeartbeat();
                if (m.hasSnapshot()) {
                    snapshotSeen = true;
                    held = m.getSnapshot().getRevision();
                } else if (m.hasDelta()) {
                    assertTrue(held < 0 || m.getDelta().getRevision() == held + 1, "contiguous after the snapshot");
                    held = m.getDelta().getRevision();
                } else if (m.hasSynced()) {
                    held = Math.max(held, m.getSynced().getRevision());
                }
            }
            assertTrue(snapshotSeen, "the lagging agent was sent a fresh snapshot");
            assertTrue(held >= head, "and catches up to the head revision");
            for (String name : bulk) { // keep the shared test store small
                dns.removeRecords(io.weft.api.v1.RemoveDnsRecordsRequest.newBuilder().setName(name).build());
            }
        }
    }

    @Test
    void linkReportsAreStoredAndPushedToOtherAgents() throws Exception {
        String a = Unique.name("la");
        String b = Unique.name("lb");
        Session sa = connect(a, 0, "");
        Session sb = connect(b, 0, "");
        try (AgentClient ca = sa.client(); AgentClient cb = sb.client()) {
            ca.report(LinkState.newBuilder().setToHost(b).setState(LinkState.State.ESTABLISHED).setRttMicros(250)
                    .setEncrypted(true).setEndpoint("198.18.0.9:6783").build());
            List<ControlMessage> got = cb.readUntil(m -> m.hasDelta() && m.getDelta().getChangesList().stream()
                    .anyMatch(ch -> ch.hasLinkUpdated() && ch.getLinkUpdated().getFromHost().equals(a)));
            LinkState pushed = got.get(got.size() - 1).getDelta().getChangesList().stream().filter(Change::hasLinkUpdated)
                    .findFirst().orElseThrow().getLinkUpdated();
            assertEquals(b, pushed.getToHost());
            assertEquals(LinkState.State.ESTABLISHED, pushed.getState());
            LinkState stored = peers.listLinks(ListLinksRequest.newBuilder().setHost(a).build()).getLinks(0);
            assertEquals(pushed.getState(), stored.getState());
            assertEquals(250, stored.getRttMicros());
        }
    }

    @Test
    void heartbeatsFlowAndASilentAgentIsDisconnected() throws Exception {
        AgentClient c = AgentClient.open(api, JOIN, -1);
        try (c) {
            c.sendHello(AgentClient.hello(Unique.name("quiet"), 0, ""));
            boolean heartbeat = false;
            for (int i = 0; i < 100_000 && !heartbeat; i++) { // past the catch-up, however long
                heartbeat = c.next().hasHeartbeat();
            }
            assertTrue(heartbeat, "the control plane sends heartbeats (1 s in tests)");
            // this agent never sends one: after 3 intervals the stream is closed
            Status status = c.awaitClose();
            assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getCode(), status.toString());
        }
    }

    @Test
    void aStreamWithoutHelloIsClosed() throws Exception {
        AgentClient c = AgentClient.open(api, JOIN, -1);
        try (c) {
            c.heartbeat(0);
            Status status = c.awaitClose();
            assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getCode(), status.toString());
            assertTrue(status.getDescription().contains("Hello"));
        }
    }

    @Test
    void invalidHellosAreRefusedAndRegisterNothing() throws Exception {
        int hostsBefore = hosts.listHosts(io.weft.api.v1.ListHostsRequest.getDefaultInstance()).getHostsCount();
        Hello[] bad = {
                AgentClient.hello("Not A Name", 0, ""),
                AgentClient.hello(Unique.name("k"), 0, "").toBuilder().setPublicKey(com.google.protobuf.ByteString.copyFrom(new byte[7])).build(),
                AgentClient.hello(Unique.name("e"), 0, "").toBuilder().addUnderlayEndpoints("198.18.0.1:99999").build(),
        };
        for (Hello h : bad) {
            AgentClient c = AgentClient.open(api, JOIN, -1);
            try (c) {
                c.sendHello(h);
                Status status = c.awaitClose();
                assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
            }
        }
        AgentClient c = AgentClient.open(api, JOIN, -1);
        try (c) {
            c.send(AgentMessage.getDefaultInstance());
            assertEquals(Status.Code.INVALID_ARGUMENT, c.awaitClose().getCode());
        }
        assertEquals(hostsBefore, hosts.listHosts(io.weft.api.v1.ListHostsRequest.getDefaultInstance()).getHostsCount());
    }

    @Test
    void theSameHostConnectingAgainReplacesItsOldStream() throws Exception {
        String host = Unique.name("dup");
        Session first = connect(host, 0, "");
        Session second = connect(host, 0, "");
        try (AgentClient a = first.client(); AgentClient b = second.client()) {
            assertEquals(Status.Code.ALREADY_EXISTS, a.awaitClose().getCode());
            assertEquals(first.welcome().getPeerId(), second.welcome().getPeerId());
        }
    }

    @Test
    void watchNeedsAToken() throws Exception {
        AgentClient c = AgentClient.open(api, null, -1);
        try (c) {
            c.sendHello(AgentClient.hello(Unique.name("anon"), 0, ""));
            assertEquals(Status.Code.UNAUTHENTICATED, c.awaitClose().getCode());
        }
        AgentClient admin = AgentClient.open(api, ADMIN, -1);
        try (admin) {
            admin.sendHello(AgentClient.hello(Unique.name("adm"), 0, ""));
            assertTrue(admin.nextNonHeartbeat().hasWelcome(), "the admin token may watch too");
        }
    }

    @Test
    void endpointChangesCarryWhatADataPlaneNeeds() throws Exception {
        Session s = connect(Unique.name("w"), 0, "");
        try (AgentClient c = s.client()) {
            String host = registerHost("eh");
            Network n = Unique.network(networks, "ep", 25);
            var e = endpoints.attach(io.weft.api.v1.AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host)
                    .setContainerId("c").addDnsNames("svc").build());
            List<ControlMessage> got = c.readUntil(m -> m.hasDelta() && m.getDelta().getChangesList().stream()
                    .anyMatch(ch -> ch.hasEndpointUpserted() && ch.getEndpointUpserted().getId().equals(e.getId())));
            List<Change> changes = got.get(got.size() - 1).getDelta().getChangesList();
            assertEquals(e, changes.stream().filter(Change::hasEndpointUpserted).findFirst().orElseThrow().getEndpointUpserted());
            DnsRecord r = changes.stream().filter(Change::hasDnsAdded).findFirst().orElseThrow().getDnsAdded();
            assertEquals("svc.weave.local", r.getName());
            assertEquals(e.getIp(), r.getIp());
            assertNotEquals("", r.getEndpointId());
        }
    }
}
