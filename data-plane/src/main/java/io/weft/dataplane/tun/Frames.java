package io.weft.dataplane.tun;

import io.weft.dataplane.wire.Bytes;

/** Offsets and constants of Ethernet / IPv4 / TCP shared by the segmenter and the coalescer. */
final class Frames {
    static final int ETH_HEADER = 14;
    static final int VLAN_TAG = 4;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int TCP_CSUM_OFFSET = 16;
    static final int UDP_CSUM_OFFSET = 6;

    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_PSH = 0x08;
    static final int TCP_ACK = 0x10;
    static final int TCP_URG = 0x20;
    static final int TCP_ECE = 0x40;
    static final int TCP_CWR = 0x80;

    private Frames() {
    }

    /**
     * Length of the Ethernet header (14, or 18 with one 802.1Q tag) when the frame at
     * {@code f} carries IPv4, else -1.
     */
    static int ipv4L2Length(byte[] b, int f, int frameLen) {
        if (frameLen < ETH_HEADER) {
            return -1;
        }
        int type = Bytes.u16(b, f + 12);
        if (type == ETHERTYPE_IPV4) {
            return ETH_HEADER;
        }
        if (type == ETHERTYPE_VLAN && frameLen >= ETH_HEADER + VLAN_TAG
                && Bytes.u16(b, f + 16) == ETHERTYPE_IPV4) {
            return ETH_HEADER + VLAN_TAG;
        }
        return -1;
    }
}
