package io.weft.dataplane.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weft.api.v1.Change;
import io.weft.api.v1.Host;
import io.weft.dataplane.agent.Fixtures;
import io.weft.dataplane.agent.TopologyModel;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.conn.MemoryNetwork;
import io.weft.dataplane.device.Device;
import io.weft.dataplane.device.DeviceConfig;
import io.weft.dataplane.device.MacTable;
import io.weft.dataplane.device.Sealing;
import io.weft.dataplane.tun.MemoryTap;
import io.weft.dataplane.wire.DropCounters;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topology drives the device: peers, static MACs, members; changes apply as differences. */
class DeviceSyncTest {
    final TopologyModel model = new TopologyModel();
    final Device device = new Device(1, DeviceConfig.defaults(), new MemoryNetwork().attach(new InetSocketAddress(6783)),
            Sealing.plaintext(), System::nanoTime, new DropCounters());
    final DeviceSync sync = new DeviceSync();

    DeviceSyncTest() {
        device.addNetwork(100, new MemoryTap("blue", false));
    }

    void apply() {
        sync.apply(new TopologyView(model.snapshot(), "h1"), device, Map.of(100, "blue"));
    }

    @Test
    void snapshotThenDeltas() {
        model.apply(Fixtures.snapshot());
        apply();
        assertNotNull(device.peer(2));
        assertNotNull(device.peer(3));
        assertNull(device.peer(1), "never a peer of itself");
        assertEquals(13, device.peer(3).endpoint().getAddress().getAddress()[3]);
        MacTable blue = device.macTable(100);
        assertEquals(2, blue.lookup(0x020000000201L));
        assertEquals(3, blue.lookup(0x020000000301L));
        assertEquals(MacTable.NONE, blue.lookup(0x020000000101L), "our own endpoints are switched by the bridge");
        assertEquals(MacTable.NONE, blue.lookup(0x020000000202L), "red's MAC is not in blue");

        model.apply(Fixtures.delta(11, Change.newBuilder().setEndpointRemoved("ep-3").build(),
                Change.newBuilder().setHostUpserted(Host.newBuilder(Fixtures.host("h2", 2)).clearUnderlayEndpoints()
                        .addUnderlayEndpoints("198.18.0.42:6783")).build()));
        apply();
        assertEquals(MacTable.NONE, blue.lookup(0x020000000301L), "a removed endpoint's MAC is gone");
        assertEquals(42, device.peer(2).endpoint().getAddress().getAddress()[3] & 0xFF, "a moved host's new endpoint");

        model.apply(Fixtures.delta(12, Change.newBuilder().setHostRemoved("h3").build()));
        apply();
        assertNull(device.peer(3), "a removed host is no longer a peer");
    }
}
