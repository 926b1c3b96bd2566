package io.weft.dataplane.device;

/**
 * Tunables of the forwarding core.
 *
 * @param heartbeatIntervalNanos how often each peer is probed on its direct path
 * @param missedHeartbeats the direct link is down after this many intervals without an answer
 * @param relayTtl hop budget of a relayed frame (decremented per relay, dropped at 0)
 * @param macMaxAgeNanos learned MAC entries not refreshed for this long are forgotten
 * @param macTableMax bound on entries per network
 * @param datagramBatch datagrams per send batch
 * @param datagramSlot bytes per datagram slot (largest datagram built or received)
 * @param tapWriteBatch frames per TAP write batch
 */
public record DeviceConfig(long heartbeatIntervalNanos, int missedHeartbeats, int relayTtl, long macMaxAgeNanos,
                           int macTableMax, int datagramBatch, int datagramSlot, int tapWriteBatch) {
    public static DeviceConfig defaults() {
        return new DeviceConfig(2_000_000_000L, 3, 4, 300_000_000_000L, 8192, 64, 2048, 16);
    }

    public DeviceConfig withHeartbeat(long intervalNanos, int missed) {
        return new DeviceConfig(intervalNanos, missed, relayTtl, macMaxAgeNanos, macTableMax, datagramBatch,
                datagramSlot, tapWriteBatch);
    }
}
