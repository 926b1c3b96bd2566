package io.weft.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyViewTest {
    final TopologyView v = new TopologyView(Fixtures.snapshot(), "h2");

    @Test
    void peersAreTheOtherHosts() {
        assertEquals(Map.of(1, TopologyView.parseEndpoint("198.18.0.11:6783"), 3, TopologyView.parseEndpoint("198.18.0.13:6783")),
                v.peerEndpoints());
        assertEquals("h3", v.hostName(3));
        assertEquals(3, v.peerId("h3"));
    }

    @Test
    void membersAndMacsExcludeThisHost() {
        assertArrayEquals(new int[] {1, 3}, v.members("blue"));
        assertArrayEquals(new int[0], v.members("red"), "only h2 is in red");
        Map<Long, Integer> macs = v.remoteMacs("blue");
        assertEquals(Map.of(0x020000000101L, 1, 0x020000000301L, 3), macs);
    }

    @Test
    void parsesEndpointsAndMacs() {
        assertEquals(6783, TopologyView.parseEndpoint("198.18.0.5").getPort());
        assertEquals(7001, TopologyView.parseEndpoint("198.18.0.5:7001").getPort());
        assertNull(TopologyView.parseEndpoint("198.18.0:1"));
        assertNull(TopologyView.parseEndpoint("host.example:1"), "no DNS lookups");
        assertNull(TopologyView.parseEndpoint("198.18.0.5:99999"));
        assertEquals(0x0242646000_05L, TopologyView.parseMac("02:42:64:60:00:05"));
        assertEquals(-1, TopologyView.parseMac("02:42:64:60:00"));
        assertEquals(-1, TopologyView.parseMac("zz:42:64:60:00:05"));
        assertFalse(TopologyView.parseMac("ff:ff:ff:ff:ff:ff") < 0);
    }
}
