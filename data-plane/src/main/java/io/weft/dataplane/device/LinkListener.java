package io.weft.dataplane.device;

/**
 * Told when the link to a peer changes, so the daemon can send a LinkReport to the control plane
 * (and other hosts can route through us). Called on the ticker thread, never on a packet path.
 */
@FunctionalInterface
public interface LinkListener {
    /**
     * @param viaPeer the relay's peer id when {@code status} is RELAYED, else 0
     * @param rttMicros smoothed direct RTT, 0 when unknown
     */
    void onLinkChange(int peer, LinkStatus status, int viaPeer, long rttMicros);
}
