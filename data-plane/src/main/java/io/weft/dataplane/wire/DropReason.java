package io.weft.dataplane.wire;

/**
 * Why a packet was dropped. Every drop on the data path is counted under exactly one reason
 * (see {@link DropCounters}); the loop that saw it carries on. The enum's names are the label
 * values metrics will use, so keep them stable.
 */
public enum DropReason {
    // ---- underlay datagram parsing (wire header)
    /** Shorter than the fixed header, or a payload shorter than its type requires. */
    TRUNCATED,
    /** Version byte is not one we speak. */
    BAD_VERSION,
    /** Type byte unknown to this version. */
    BAD_TYPE,
    /** Flag bits set that this version does not define. */
    BAD_FLAGS,
    /** Reserved byte not zero. */
    BAD_RESERVED,
    /** Isolation id out of range for the type (a frame needs 1..2^24-1, control messages 0). */
    BAD_NETWORK_ID,
    // ---- addressing and routing
    /** Source peer id not known from the control plane. */
    UNKNOWN_PEER,
    /** Source peer id is our own: a reflection or a spoof. */
    FROM_SELF,
    /** Destination peer id is not us (and the packet is not a relay wrapper). */
    MISDIRECTED,
    /** Frame for a network this host does not have. */
    UNKNOWN_NETWORK,
    /** Relay hop count exhausted. */
    TTL_EXCEEDED,
    /** No live path to the destination peer. */
    NO_ROUTE,
    /** Relay wrapper whose inner datagram does not match it (source, destination, type). */
    BAD_RELAY,
    /** The sealing layer refused the packet (authentication failed, replay, no session). */
    OPEN_FAILED,
    /** The sealing layer could not seal for the peer (e.g. no session yet). */
    SEAL_FAILED,
    /** Frame from a peer that is not a member of the frame's network. */
    NOT_MEMBER,
    /** Sealed datagram or handshake at a plaintext host, or an unsealed one at an encrypting host. */
    ENCRYPTION_MISMATCH,
    // ---- frames (Ethernet, virtio_net_hdr, offloads)
    /** Ethernet frame shorter than its header. */
    RUNT_FRAME,
    /** Frame too large for one datagram after segmentation. */
    OVERSIZE_FRAME,
    /** virtio_net_hdr inconsistent with the frame (offsets outside it, bad gso_size). */
    BAD_VNET_HDR,
    /** GSO type we do not segment (e.g. UDP_L4, ECN). */
    UNSUPPORTED_GSO,
    /** A super-frame whose IP/TCP headers cannot be segmented. */
    BAD_GSO_PACKET,
    /** A frame flagged with a partial checksum that is not an IPv4 TCP/UDP packet whose checksum can be finished. */
    BAD_PARTIAL_CSUM,
    // ---- resources
    /** A bounded queue was full (in-memory transport, batch overflow). */
    QUEUE_FULL,
    /** Writing to the TAP device failed. */
    TAP_WRITE_FAILED,
    /** Sending on the underlay failed. */
    SEND_FAILED;

    private static final DropReason[] VALUES = values();

    public static DropReason of(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}
