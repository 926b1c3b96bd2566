package io.weft.dataplane.device;

import io.weft.dataplane.tun.FrameBatch;
import io.weft.dataplane.tun.GroCoalescer;
import io.weft.dataplane.tun.TapDevice;
import io.weft.dataplane.tun.VirtioNetHdr;

/**
 * One network on this host: its isolation id, its TAP (the port on its bridge), its MAC table,
 * the peers that have it, and the per-thread state of both directions. The TAP-side state
 * ({@link #tapPath}) belongs to the network's TAP reader thread; the write batch and coalescer
 * belong to the underlay receive thread. Nothing is shared between the two but the MAC table.
 */
final class NetworkContext {
    final int isolationId;
    final TapDevice tap;
    final MacTable macs;
    /** Peer ids of the hosts of this network; null means every known peer. */
    volatile int[] members;

    // Underlay receive thread only.
    final FrameBatch tapOut;
    final GroCoalescer gro;
    boolean pending;

    // TAP reader thread only.
    final TapPath tapPath;

    NetworkContext(int isolationId, TapDevice tap, Device device, DeviceConfig cfg) {
        this.isolationId = isolationId;
        this.tap = tap;
        this.macs = new MacTable(cfg.macTableMax());
        this.gro = new GroCoalescer(tap.acceptsUdpGso());
        // With a vnet header, a slot must hold a whole coalesced 64 KiB super-frame.
        int slot = tap.vnetHeader() ? VirtioNetHdr.LENGTH + 18 + 65_535 : cfg.datagramSlot();
        // With a vnet header the coalescer builds frames in direct memory the TAP writes from.
        this.tapOut = tap.vnetHeader() ? FrameBatch.direct(cfg.tapWriteBatch(), slot)
                : new FrameBatch(cfg.datagramBatch(), slot);
        this.tapPath = new TapPath(device, this, cfg);
    }

    boolean isMember(int peer) {
        int[] m = members;
        if (m == null) {
            return true;
        }
        for (int id : m) {
            if (id == peer) {
                return true;
            }
        }
        return false;
    }
}
