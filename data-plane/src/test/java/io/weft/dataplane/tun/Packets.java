package io.weft.dataplane.tun;

/**
 * Hand-built test packets and an independent, deliberately naive checksum (16-bit words, one at a
 * time) to check the fast one against. Addresses are overlay (100.64.0.0/10) only.
 */
public final class Packets {
    public static final byte[] IP_A = {100, 64, 0, 1};
    public static final byte[] IP_B = {100, 64, 0, 2};

    private Packets() {
    }

    /** RFC 1071 the slow way. */
    public static int naiveSum(byte[] b, int off, int len, int init) {
        long sum = init;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) sum;
    }

    public static int naivePseudo(byte[] f, int ip, int proto, int l4len) {
        int s = naiveSum(f, ip + 12, 8, 0);
        return naiveSum(new byte[] {0, (byte) proto, (byte) (l4len >> 8), (byte) l4len}, 0, 4, s);
    }

    /** True when the IPv4 header checksum of the frame (Ethernet at 0) verifies. */
    public static boolean ipChecksumOk(byte[] f, int off) {
        int ip = off + 14;
        int ihl = (f[ip] & 0x0F) * 4;
        return naiveSum(f, ip, ihl, 0) == 0xFFFF;
    }

    /** True when the TCP checksum of the IPv4/TCP frame (Ethernet at off) verifies. */
    public static boolean tcpChecksumOk(byte[] f, int off) {
        int ip = off + 14;
        int ihl = (f[ip] & 0x0F) * 4;
        int total = u16(f, ip + 2);
        int l4 = total - ihl;
        return naiveSum(f, ip + ihl, l4, naivePseudo(f, ip, 6, l4)) == 0xFFFF;
    }

    public static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    public static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >> 8);
        b[o + 1] = (byte) v;
    }

    public static void put32(byte[] b, int o, int v) {
        put16(b, o, v >>> 16);
        put16(b, o + 2, v);
    }

    public static int i32(byte[] b, int o) {
        return (u16(b, o) << 16) | u16(b, o + 2);
    }

    /** Sets the MACs and ethertype of an Ethernet header at offset 0. */
    public static void ethernet(byte[] f, long dst, long src, int type) {
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst >>> (40 - 8 * i));
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        put16(f, 12, type);
    }

    /** An IPv4 header (no options, DF, IP_A to IP_B) with a valid checksum at offset 14 of {@code f}. */
    private static void ipv4Header(byte[] f, int totalLength, int ipId, int ttl, int protocol) {
        int ip = 14;
        f[ip] = 0x45;
        put16(f, ip + 2, totalLength);
        put16(f, ip + 4, ipId);
        put16(f, ip + 6, 0x4000); // DF
        f[ip + 8] = (byte) ttl;
        f[ip + 9] = (byte) protocol;
        System.arraycopy(IP_A, 0, f, ip + 12, 4);
        System.arraycopy(IP_B, 0, f, ip + 16, 4);
        put16(f, ip + 10, ~naiveSum(f, ip, 20, 0) & 0xFFFF);
    }

    /**
     * An Ethernet + IPv4 + TCP frame (TCP timestamps option, 12 bytes) with valid IP and TCP
     * checksums.
     */
    public static byte[] tcpFrame(long dstMac, long srcMac, int sport, int dport, int seq, int ack,
                                  int flags, int ipId, byte[] payload) {
        int tcpLen = 32;
        byte[] f = new byte[14 + 20 + tcpLen + payload.length];
        ethernet(f, dstMac, srcMac, 0x0800);
        int ip = 14;
        ipv4Header(f, 20 + tcpLen + payload.length, ipId, 64, 6);
        int t = ip + 20;
        put16(f, t, sport);
        put16(f, t + 2, dport);
        put32(f, t + 4, seq);
        put32(f, t + 8, ack);
        f[t + 12] = (byte) ((tcpLen / 4) << 4);
        f[t + 13] = (byte) flags;
        put16(f, t + 14, 502);
        f[t + 20] = 1; // NOP
        f[t + 21] = 1; // NOP
        f[t + 22] = 8; // timestamps
        f[t + 23] = 10;
        put32(f, t + 24, 0x01020304);
        put32(f, t + 28, 0x05060708);
        System.arraycopy(payload, 0, f, t + tcpLen, payload.length);
        put16(f, t + 16, ~naiveSum(f, t, tcpLen + payload.length, naivePseudo(f, ip, 6, tcpLen + payload.length)) & 0xFFFF);
        return f;
    }

    /** An Ethernet + IPv4 + UDP frame (DF, TTL {@code ttl}) with valid IP and UDP checksums. */
    public static byte[] udpFrame(long dstMac, long srcMac, int sport, int dport, int ipId, int ttl, byte[] payload) {
        byte[] f = new byte[14 + 20 + 8 + payload.length];
        ethernet(f, dstMac, srcMac, 0x0800);
        int ip = 14;
        ipv4Header(f, 28 + payload.length, ipId, ttl, 17);
        int u = ip + 20;
        put16(f, u, sport);
        put16(f, u + 2, dport);
        put16(f, u + 4, 8 + payload.length);
        System.arraycopy(payload, 0, f, u + 8, payload.length);
        int sum = ~naiveSum(f, u, 8 + payload.length, naivePseudo(f, ip, 17, 8 + payload.length)) & 0xFFFF;
        put16(f, u + 6, sum == 0 ? 0xFFFF : sum); // 0 means "no checksum" in UDP
        return f;
    }

    /** True when the UDP checksum of the IPv4/UDP frame (Ethernet at off) verifies. */
    public static boolean udpChecksumOk(byte[] f, int off) {
        int ip = off + 14;
        int l4 = u16(f, ip + 2) - 20;
        return naiveSum(f, ip + 20, l4, naivePseudo(f, ip, 17, l4)) == 0xFFFF;
    }

    /**
     * What the kernel does with a GSO_UDP_L4 frame written to a TAP (the datagrams the receiving
     * socket gets): the payload cut into gso_size pieces behind copies of the headers, IPv4 total
     * length, id (+1 per datagram) and header checksum, UDP length and checksum set per datagram.
     */
    public static java.util.List<byte[]> splitUdpSuperFrame(byte[] tapFrame) {
        int hdr = VirtioNetHdr.LENGTH;
        int gso = VirtioNetHdr.gsoSize(tapFrame, 0);
        int headers = 14 + 20 + 8;
        int id = u16(tapFrame, hdr + 14 + 4);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (int at = hdr + headers, i = 0; at < tapFrame.length; at += gso, i++) {
            int len = Math.min(gso, tapFrame.length - at);
            byte[] d = new byte[headers + len];
            System.arraycopy(tapFrame, hdr, d, 0, headers);
            System.arraycopy(tapFrame, at, d, headers, len);
            put16(d, 14 + 2, 28 + len);
            put16(d, 14 + 4, id + i);
            put16(d, 14 + 10, 0);
            put16(d, 14 + 10, ~naiveSum(d, 14, 20, 0) & 0xFFFF);
            put16(d, 34 + 4, 8 + len);
            put16(d, 34 + 6, 0);
            int sum = ~naiveSum(d, 34, 8 + len, naivePseudo(d, 14, 17, 8 + len)) & 0xFFFF;
            put16(d, 34 + 6, sum == 0 ? 0xFFFF : sum);
            out.add(d);
        }
        return out;
    }

    /**
     * The same frame as the kernel hands it over a TAP with TSO: virtio_net_hdr (gso TCPV4,
     * NEEDS_CSUM) in front, the TCP checksum field holding only the pseudo-header sum.
     */
    public static byte[] superFrame(byte[] frame, int gsoSize) {
        byte[] out = new byte[VirtioNetHdr.LENGTH + frame.length];
        System.arraycopy(frame, 0, out, VirtioNetHdr.LENGTH, frame.length);
        int ip = VirtioNetHdr.LENGTH + 14;
        int l4 = frame.length - 34;
        put16(out, ip + 20 + 16, naivePseudo(out, ip, 6, l4));
        VirtioNetHdr.write(out, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 14 + 20 + 32, gsoSize, 34, 16);
        return out;
    }

    public static byte[] pattern(int n, int seed) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31 + seed + (i >> 8));
        }
        return p;
    }
}
