package io.weft.dataplane.agent;

import static io.weft.dataplane.agent.Fixtures.delta;
import static io.weft.dataplane.agent.Fixtures.endpoint;
import static io.weft.dataplane.agent.Fixtures.host;
import static io.weft.dataplane.agent.Fixtures.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.api.v1.Change;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.PeerTarget;
import io.weft.api.v1.Snapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyModelTest {
    @Test
    void snapshotReplacesEverythingAndRoundTrips() {
        TopologyModel m = new TopologyModel();
        m.apply(delta(3, Change.newBuilder().setNetworkUpserted(network("old", "100.64.9.0/24", 9)).build()));
        m.apply(Fixtures.snapshot());
        Snapshot s = m.snapshot();
        assertEquals(10, m.revision());
        assertEquals(Fixtures.snapshot(), s, "a snapshot applied and read back is the same snapshot");
        assertNull(new TopologyView(s, "h1").network("old"), "state before the snapshot is gone");
    }

    @Test
    void deltasApplyInOrderAndMoveTheRevision() {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        assertTrue(m.apply(delta(11,
                Change.newBuilder().setEndpointUpserted(endpoint("ep-5", "red", "h3", "02:00:00:00:03:02", "100.64.2.3")).build(),
                Change.newBuilder().setDnsAdded(DnsRecord.newBuilder().setName("web.weave.local").setIp("100.64.2.3").setEndpointId("ep-5")).build(),
                Change.newBuilder().setTargetAdded(PeerTarget.newBuilder().setAddress("198.18.0.99")).build(),
                Change.newBuilder().setLinkUpdated(Fixtures.link("h2", "h3", LinkState.State.DOWN)).build())));
        TopologyView v = new TopologyView(m.snapshot(), "h1");
        assertEquals(11, v.revision());
        assertArrayEquals(new int[] {2, 3}, v.members("red"));
        assertEquals(1, v.snapshot().getDnsRecordsCount());
        assertEquals(1, v.snapshot().getPeerTargetsCount());
        assertEquals(LinkState.State.DOWN, v.snapshot().getLinks(0).getState(), "a link update replaces the old state");

        m.apply(delta(12, Change.newBuilder().setEndpointRemoved("ep-5").build()));
        v = new TopologyView(m.snapshot(), "h1");
        assertArrayEquals(new int[] {2}, v.members("red"));
        assertEquals(0, v.snapshot().getDnsRecordsCount(), "an endpoint's DNS records go with it");
    }

    @Test
    void staleDeltaIsIgnored() {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        assertFalse(m.apply(delta(10, Change.newBuilder().setHostRemoved("h2").build())));
        assertFalse(m.apply(delta(7, Change.newBuilder().setHostRemoved("h2").build())));
        assertEquals(Fixtures.snapshot(), m.snapshot());
    }

    @Test
    void removingAHostTakesItsEndpointsAndLinks() {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        m.apply(delta(11, Change.newBuilder().setHostRemoved("h3").build()));
        TopologyView v = new TopologyView(m.snapshot(), "h1");
        assertNull(v.host("h3"));
        assertNull(v.endpoint("ep-3"));
        assertEquals(0, v.snapshot().getLinksCount());
        assertArrayEquals(new int[] {2}, v.members("blue"));
        assertEquals(Map.of(2, v.peerEndpoints().get(2)), v.peerEndpoints());
    }

    @Test
    void deletingANetworkTakesItsEndpoints() {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        m.apply(delta(11, Change.newBuilder().setNetworkDeleted("red").build()));
        TopologyView v = new TopologyView(m.snapshot(), "h1");
        assertNull(v.network("red"));
        assertNull(v.endpoint("ep-4"));
    }

    @Test
    void hostUpsertChangesEndpoint() {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        Host moved = host("h2", 2).toBuilder().clearUnderlayEndpoints().addUnderlayEndpoints("198.18.1.2:7000").build();
        m.apply(delta(11, Change.newBuilder().setHostUpserted(moved).build()));
        TopologyView v = new TopologyView(m.snapshot(), "h1");
        assertEquals(7000, v.peerEndpoints().get(2).getPort());
        assertEquals("198.18.1.2", v.peerEndpoints().get(2).getAddress().getHostAddress());
    }

    @Test
    void ignoresIpamOnlyChanges() {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        assertTrue(m.apply(delta(11, Change.newBuilder().setAddressAllocated(
                io.weft.api.v1.Allocation.newBuilder().setNetwork("blue").setIp("100.64.1.50")).build())));
        assertEquals(Fixtures.snapshot().toBuilder().setRevision(11).build(), m.snapshot());
    }
}
