package io.weft.dataplane.host;

/**
 * The MTU of container interfaces (and of each network's bridge and TAP), so that every frame fits
 * one datagram on a 1500-byte underlay even in the worst case:
 * <pre>
 *   1500  underlay MTU
 *   - 20  outer IPv4 header
 *   -  8  UDP header
 *   - 16  Weft header
 *   - 16  relay wrapper (a second Weft header when a frame goes through another host)
 *   - 32  AEAD room reserved for issue 4: 16-byte tag + 8-byte counter nonce + 4-byte session index,
 *         rounded up to 32
 *   - 14  inner Ethernet header (the overlay MTU counts the IP packet only)
 *   = 1394
 * </pre>
 * With TSO the kernel hands over 64 KiB super-frames, but the data plane splits them into segments
 * of the MSS the container's TCP derived from this MTU, so the same budget holds.
 */
public final class Mtu {
    public static final int UNDERLAY = 1500;
    public static final int OUTER_IPV4 = 20;
    public static final int UDP = 8;
    public static final int WEFT_HEADER = 16;
    public static final int RELAY_WRAPPER = 16;
    public static final int AEAD_RESERVE = 32;
    public static final int INNER_ETHERNET = 14;

    private Mtu() {
    }

    /** Overlay MTU for an underlay of {@code underlayMtu} bytes. */
    public static int overlay(int underlayMtu) {
        return underlayMtu - OUTER_IPV4 - UDP - WEFT_HEADER - RELAY_WRAPPER - AEAD_RESERVE - INNER_ETHERNET;
    }

    public static final int DEFAULT = overlay(UNDERLAY);

    /** Payload bytes the data plane puts in one UDP GSO send (see EpollUdpTransport). */
    public static final int GSO_PAYLOAD = 65_536 - 14 - 40 - 8 - 1;

    /**
     * Most segments a container's TCP may put in one TSO super-frame (set as gso_max_segs on its
     * interface), for an overlay MTU of {@code overlayMtu}: so that the super-frame, cut into
     * worst-case datagrams (frame + Weft header + relay wrapper + AEAD room), is ONE UDP GSO send.
     * The receiving host then gets it as one UDP GRO read and writes it to its TAP as one
     * coalesced frame; 48 segments would take two sends, two reads and two TAP writes.
     * 44 for the default MTU.
     */
    public static int gsoMaxSegments(int overlayMtu) {
        int datagram = overlayMtu + INNER_ETHERNET + WEFT_HEADER + RELAY_WRAPPER + AEAD_RESERVE;
        return Math.max(1, Math.min(64, GSO_PAYLOAD / datagram));
    }
}
