package io.weft.dataplane.tun;

import io.weft.dataplane.wire.Bytes;
import java.nio.ByteBuffer;

/**
 * Generic receive offload before the TAP: merges consecutive, in-order TCPv4 segments of one flow
 * into one super-frame with a virtio_net_hdr, so the kernel takes ~45 segments in one write
 * (and the container's TCP stack sees one big receive). When the TAP takes UDP segmentation
 * offload (Linux 6.2+, see {@link TapDevice#acceptsUdpGso}), consecutive UDPv4 datagrams of one
 * flow merge the same way (GSO_UDP_L4): up to 64 datagrams cross the bridge and the container's
 * veth as one packet and are split again only at the receiving socket, which is what makes small
 * datagrams cheap (one write and one bridge pass instead of one per datagram). Frames that cannot
 * merge are written as they are behind a zeroed header.
 *
 * <p>Merge rules (as in wireguard-go's tcpPacketsCanCoalesce): same addresses and ports, same
 * TOS, TTL and DF, same ACK number and TCP options; only ACK and PSH flags; the sequence number
 * continues the group; every segment but the last is exactly gso_size long; a segment with PSH
 * or shorter than gso_size ends its group. UDP (as wireguard-go's udpPacketsCanCoalesce): same
 * addresses and ports, TOS, TTL and DF; every datagram but the last exactly gso_size long; at most
 * 64 per group (the kernel's UDP_MAX_SEGMENTS, above which it refuses the write). Checksums of
 * every segment are verified before it is
 * merged: a corrupt segment must reach the kernel unmerged, so the kernel drops it, rather than be
 * covered by a freshly computed checksum. Segments whose sender left the checksum partial (see
 * {@link TsoSegmenter}) have no checksum to verify (the AEAD tag or the underlay's UDP checksum
 * covered them); they merge alike, and one that stays alone is written with NEEDS_CSUM so the
 * kernel treats it like a locally generated packet.
 *
 * <p>Usage per batch: {@link #begin}, {@link #add} per frame, {@link #finish}; the output batch then
 * holds the frames to write. With a direct output batch ({@link FrameBatch#direct}) a group's
 * first frame and its headers are staged in the heap slot, appended payload goes straight to the
 * direct memory, and {@link #finish} completes the frame there: the TAP writes it from where it
 * was built, with no copy to native memory on the way. Groups are found by scanning the batch backwards (batches are small,
 * so a scan beats a hash map and allocates nothing).
 */
public final class GroCoalescer {
    /** IPv4 total length is 16 bits. */
    private static final int MAX_IP_LENGTH = 0xFFFF;
    /** The kernel refuses a GSO_UDP_L4 write of more datagrams than this (UDP_MAX_SEGMENTS). */
    static final int MAX_UDP_SEGMENTS = 64;
    private static final int UDP_HEADER = 8;
    private static final byte OTHER = 0;
    private static final byte TCP = 1;
    private static final byte UDP = 2;

    private final boolean udp;

    private FrameBatch out;
    // Per output slot: whether it can still take segments, and its group state.
    private boolean[] open = new boolean[0];
    /** Per output slot: {@link #TCP}, {@link #UDP} (a group that may grow) or {@link #OTHER}. */
    private byte[] kind = new byte[0];
    private int[] nextSeq = new int[0];
    private int[] gsoSize = new int[0];
    private int[] segments = new int[0];
    private int[] hdrLen = new int[0];
    /** Where the checksum starts for a partial frame (0 = complete checksum). */
    private int[] partialStart = new int[0];
    /** Per output slot: bytes staged in the heap slot (the first frame, virtio_net_hdr included). */
    private int[] staged = new int[0];
    private ByteBuffer direct;

    /** Merges TCP only. */
    public GroCoalescer() {
        this(false);
    }

    /** @param udp whether UDP datagrams merge too: only for a TAP that {@link TapDevice#acceptsUdpGso accepts} them */
    public GroCoalescer(boolean udp) {
        this.udp = udp;
    }

    public void begin(FrameBatch batch) {
        out = batch;
        direct = batch.direct();
        batch.clear();
        int n = batch.capacity();
        if (open.length < n) {
            staged = new int[n];
            open = new boolean[n];
            kind = new byte[n];
            nextSeq = new int[n];
            gsoSize = new int[n];
            segments = new int[n];
            hdrLen = new int[n];
            partialStart = new int[n];
        }
    }

    /** {@link #add} result: the frame is in the batch (merged or in a slot of its own). */
    public static final int ADDED = 0;
    /** {@link #add} result: no slot left; finish and write the batch, then add the frame again. */
    public static final int FULL = 1;
    /** {@link #add} result: the frame can never fit a slot; the caller drops and counts it. */
    public static final int TOO_BIG = 2;
    /** {@link #add} result: flagged partial, but not a frame whose checksum can be finished; dropped. */
    public static final int MALFORMED = 3;

    /** Adds one Ethernet frame with a complete checksum (or none to check). */
    public int add(byte[] b, int f, int len) {
        return add(b, f, len, false);
    }

    /**
     * Adds one plain Ethernet frame of {@code len} bytes at {@code f}; {@code partial} when its
     * sender left the transport checksum partial.
     */
    public int add(byte[] b, int f, int len, boolean partial) {
        if (VirtioNetHdr.LENGTH + len > out.heapSlotSize()) {
            return TOO_BIG; // every frame from the underlay fits: datagrams are smaller than a heap slot
        }
        int start = 0;
        if (partial) {
            start = PartialChecksum.start(b, f, len);
            if (start < 0) {
                return MALFORMED;
            }
        }
        int ipTotal = coalescableLength(b, f, len, partial);
        if (ipTotal > 0) {
            int l2 = Frames.ETH_HEADER;
            int ip = f + l2;
            int ipLen = (b[ip] & 0x0F) * 4;
            int tcpOff = ip + ipLen;
            int th = ((b[tcpOff + 12] & 0xFF) >>> 4) * 4;
            int headers = l2 + ipLen + th;
            int payload = l2 + ipTotal - headers;
            int seq = Bytes.i32(b, tcpOff + 4);
            boolean psh = (b[tcpOff + 13] & Frames.TCP_PSH) != 0;
            int g = findFlow(b, f, TCP);
            if (g >= 0 && open[g] && canAppend(g, b, f, headers, payload, seq)) {
                append(g, b, f + headers, payload, psh);
                return ADDED;
            }
            int s = out.add();
            if (s < 0) {
                return FULL;
            }
            byte[] d = out.buffer(s);
            System.arraycopy(b, f, d, VirtioNetHdr.LENGTH, l2 + ipTotal); // drops Ethernet padding
            out.setLength(s, VirtioNetHdr.LENGTH + l2 + ipTotal);
            staged[s] = VirtioNetHdr.LENGTH + l2 + ipTotal;
            kind[s] = TCP;
            open[s] = !psh;
            nextSeq[s] = seq + payload;
            gsoSize[s] = payload;
            segments[s] = 1;
            hdrLen[s] = headers;
            partialStart[s] = start;
            return ADDED;
        }
        int udpTotal = udp ? udpCoalescableLength(b, f, len, partial) : 0;
        if (udpTotal > 0) {
            return addUdp(b, f, udpTotal, start);
        }
        int s = out.add();
        if (s < 0) {
            return FULL;
        }
        System.arraycopy(b, f, out.buffer(s), VirtioNetHdr.LENGTH, len);
        out.setLength(s, VirtioNetHdr.LENGTH + len);
        staged[s] = VirtioNetHdr.LENGTH + len;
        kind[s] = OTHER;
        open[s] = false;
        segments[s] = 1;
        partialStart[s] = start;
        return ADDED;
    }

    /** A UDP datagram that may merge: appended to its flow's open group, or the start of a new one. */
    private int addUdp(byte[] b, int f, int ipTotal, int csumStart) {
        int headers = Frames.ETH_HEADER + 20 + UDP_HEADER;
        int payload = Frames.ETH_HEADER + ipTotal - headers;
        int g = findFlow(b, f, UDP);
        if (g >= 0 && open[g] && canAppendUdp(g, b, f, payload)) {
            int end = out.length(g);
            if (direct != null) {
                direct.put(out.directOffset(g) + end, b, f + headers, payload);
            } else {
                System.arraycopy(b, f + headers, out.buffer(g), end, payload);
            }
            out.setLength(g, end + payload);
            segments[g]++;
            if (payload < gsoSize[g] || segments[g] == MAX_UDP_SEGMENTS) {
                open[g] = false; // nothing may follow a short datagram; the kernel takes 64 at most
            }
            return ADDED;
        }
        int s = out.add();
        if (s < 0) {
            return FULL;
        }
        System.arraycopy(b, f, out.buffer(s), VirtioNetHdr.LENGTH, Frames.ETH_HEADER + ipTotal); // drops padding
        out.setLength(s, VirtioNetHdr.LENGTH + Frames.ETH_HEADER + ipTotal);
        staged[s] = VirtioNetHdr.LENGTH + Frames.ETH_HEADER + ipTotal;
        kind[s] = UDP;
        open[s] = true;
        gsoSize[s] = payload;
        segments[s] = 1;
        hdrLen[s] = headers;
        partialStart[s] = csumStart;
        return ADDED;
    }

    /**
     * Whether no frame of the batch can take more segments (every group ended with a short or
     * pushed segment, or is not TCP): writing the batch now loses no coalescing, and delivers a
     * finished super-frame without waiting for the rest of the receive burst.
     */
    public boolean allClosed() {
        for (int s = 0; s < out.count(); s++) {
            if (open[s]) {
                return false;
            }
        }
        return true;
    }

    /** Writes the virtio_net_hdr and fixes the IP/TCP headers of every merged group. */
    public void finish() {
        for (int s = 0; s < out.count(); s++) {
            finishHeaders(s);
            if (direct != null) {
                direct.put(out.directOffset(s), out.buffer(s), 0, staged[s]);
            }
        }
    }

    private void finishHeaders(int s) {
        byte[] d = out.buffer(s);
        if (kind[s] == OTHER || segments[s] < 2) {
            if (partialStart[s] > 0) {
                VirtioNetHdr.write(d, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0,
                        partialStart[s], PartialChecksum.fieldOffset(d, VirtioNetHdr.LENGTH));
            } else {
                VirtioNetHdr.writeNone(d, 0);
            }
            return;
        }
        int f = VirtioNetHdr.LENGTH;
        int ip = f + Frames.ETH_HEADER;
        int ipLen = (d[ip] & 0x0F) * 4;
        int ipTotal = out.length(s) - f - Frames.ETH_HEADER;
        Bytes.putU16(d, ip + 2, ipTotal);
        Checksum.fixIpv4Header(d, ip, ipLen);
        if (kind[s] == UDP) {
            // The kernel splits at the receiving socket (or wherever GSO ends) and derives each
            // datagram's length and checksum from these: UDP length and pseudo-header sum of the whole.
            int udpOff = ip + ipLen;
            Bytes.putU16(d, udpOff + 4, ipTotal - ipLen);
            long pseudo = Checksum.pseudoHeaderV4(d, ip, Frames.IPPROTO_UDP, ipTotal - ipLen);
            Bytes.putU16(d, udpOff + Frames.UDP_CSUM_OFFSET, Checksum.fold(pseudo));
            VirtioNetHdr.write(d, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_UDP_L4, hdrLen[s], gsoSize[s],
                    Frames.ETH_HEADER + ipLen, Frames.UDP_CSUM_OFFSET);
            return;
        }
        int tcpOff = ip + ipLen;
        // NEEDS_CSUM: the field holds the (uninverted) pseudo-header sum; the kernel finishes it.
        long pseudo = Checksum.pseudoHeaderV4(d, ip, Frames.IPPROTO_TCP, ipTotal - ipLen);
        Bytes.putU16(d, tcpOff + Frames.TCP_CSUM_OFFSET, Checksum.fold(pseudo));
        VirtioNetHdr.write(d, 0, VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, hdrLen[s], gsoSize[s],
                Frames.ETH_HEADER + ipLen, Frames.TCP_CSUM_OFFSET);
    }

    /**
     * IPv4 total length when the frame is a TCPv4 segment that may merge (untagged IPv4 without
     * options or fragmentation, ACK with optional PSH, payload present, checksums valid — the
     * transport checksum only when it is not {@code partial}), else 0.
     */
    private static int coalescableLength(byte[] b, int f, int len, boolean partial) {
        if (len < Frames.ETH_HEADER + 40 || Bytes.u16(b, f + 12) != Frames.ETHERTYPE_IPV4) {
            return 0;
        }
        int ip = f + Frames.ETH_HEADER;
        if ((b[ip] & 0xFF) != 0x45 || (b[ip + 9] & 0xFF) != Frames.IPPROTO_TCP) {
            return 0; // IPv4 options are rare on TCP data; not merging them keeps the rules simple
        }
        int ipTotal = Bytes.u16(b, ip + 2);
        if (ipTotal > len - Frames.ETH_HEADER || ipTotal < 40) {
            return 0;
        }
        if ((Bytes.u16(b, ip + 6) & 0x3FFF) != 0) {
            return 0; // MF set or a fragment offset
        }
        int tcpOff = ip + 20;
        int th = ((b[tcpOff + 12] & 0xFF) >>> 4) * 4;
        if (th < 20 || 20 + th >= ipTotal) {
            return 0; // bad header length or no payload (pure ACK): nothing to merge
        }
        int flags = b[tcpOff + 13] & 0xFF;
        if ((flags & ~(Frames.TCP_ACK | Frames.TCP_PSH)) != 0 || (flags & Frames.TCP_ACK) == 0) {
            return 0;
        }
        if (!Checksum.ipv4HeaderValid(b, ip, 20)) {
            return 0;
        }
        if (partial) {
            return ipTotal;
        }
        long sum = Checksum.pseudoHeaderV4(b, ip, Frames.IPPROTO_TCP, ipTotal - 20);
        if (Checksum.fold(Checksum.add(b, tcpOff, ipTotal - 20, sum)) != 0xFFFF) {
            return 0;
        }
        return ipTotal;
    }

    /**
     * IPv4 total length when the frame is a UDPv4 datagram that may merge (untagged IPv4 without
     * options or fragmentation, a UDP length that matches, payload present, checksums valid — the
     * UDP checksum unless it is {@code partial} or absent), else 0.
     */
    private static int udpCoalescableLength(byte[] b, int f, int len, boolean partial) {
        if (len < Frames.ETH_HEADER + 20 + UDP_HEADER + 1 || Bytes.u16(b, f + 12) != Frames.ETHERTYPE_IPV4) {
            return 0;
        }
        int ip = f + Frames.ETH_HEADER;
        if ((b[ip] & 0xFF) != 0x45 || (b[ip + 9] & 0xFF) != Frames.IPPROTO_UDP) {
            return 0;
        }
        int ipTotal = Bytes.u16(b, ip + 2);
        if (ipTotal > len - Frames.ETH_HEADER || ipTotal <= 20 + UDP_HEADER
                || Bytes.u16(b, ip + 20 + 4) != ipTotal - 20 || (Bytes.u16(b, ip + 6) & 0x3FFF) != 0) {
            return 0;
        }
        if (!Checksum.ipv4HeaderValid(b, ip, 20)) {
            return 0;
        }
        if (partial || Bytes.u16(b, ip + 20 + Frames.UDP_CSUM_OFFSET) == 0) {
            return ipTotal; // nothing to verify: the sender left it to us, or sent none
        }
        long sum = Checksum.pseudoHeaderV4(b, ip, Frames.IPPROTO_UDP, ipTotal - 20);
        if (Checksum.fold(Checksum.add(b, ip + 20, ipTotal - 20, sum)) != 0xFFFF) {
            return 0;
        }
        return ipTotal;
    }

    /** Latest group of {@code protocol} ({@link #TCP} or {@link #UDP}) of the same flow (addresses and ports), or -1. */
    private int findFlow(byte[] b, int f, byte protocol) {
        int ip = f + Frames.ETH_HEADER;
        long addrs = Bytes.i64(b, ip + 12);
        int ports = Bytes.i32(b, ip + 20);
        for (int s = out.count() - 1; s >= 0; s--) {
            if (kind[s] != protocol) {
                continue;
            }
            byte[] d = out.buffer(s);
            int gip = VirtioNetHdr.LENGTH + Frames.ETH_HEADER;
            if (Bytes.i64(d, gip + 12) == addrs && Bytes.i32(d, gip + 20) == ports) {
                return s;
            }
        }
        return -1;
    }

    private boolean canAppend(int g, byte[] b, int f, int headers, int payload, int seq) {
        if (headers != hdrLen[g] || seq != nextSeq[g] || payload > gsoSize[g]) {
            return false;
        }
        if (!fitsAndSameHeaders(g, b, f, payload)) {
            return false;
        }
        byte[] d = out.buffer(g);
        int gt = VirtioNetHdr.LENGTH + Frames.ETH_HEADER + 20;
        int ip = f + Frames.ETH_HEADER;
        int t = ip + 20;
        if (Bytes.i32(d, gt + 8) != Bytes.i32(b, t + 8)) {
            return false; // ACK number
        }
        // TCP options (e.g. timestamps) must be identical: the merged frame keeps only the first's.
        for (int k = 20; k < headers - Frames.ETH_HEADER - 20; k++) {
            if (d[gt + k] != b[t + k]) {
                return false;
            }
        }
        return true;
    }

    private boolean canAppendUdp(int g, byte[] b, int f, int payload) {
        return payload <= gsoSize[g] && fitsAndSameHeaders(g, b, f, payload);
    }

    /**
     * Whether {@code payload} more bytes fit group {@code g}'s slot and IPv4 length, and the frame
     * has the group's Ethernet addresses and IPv4 TOS, flags (DF) and TTL.
     */
    private boolean fitsAndSameHeaders(int g, byte[] b, int f, int payload) {
        if (out.length(g) + payload > out.slotSize()
                || out.length(g) - VirtioNetHdr.LENGTH - Frames.ETH_HEADER + payload > MAX_IP_LENGTH) {
            return false;
        }
        byte[] d = out.buffer(g);
        int gf = VirtioNetHdr.LENGTH;
        if (Bytes.i64(d, gf) != Bytes.i64(b, f) || Bytes.i32(d, gf + 8) != Bytes.i32(b, f + 8)) {
            return false;
        }
        int gip = gf + Frames.ETH_HEADER;
        int ip = f + Frames.ETH_HEADER;
        return d[gip + 1] == b[ip + 1] && d[gip + 6] == b[ip + 6] && d[gip + 8] == b[ip + 8];
    }

    private void append(int g, byte[] b, int payloadOff, int payload, boolean psh) {
        byte[] d = out.buffer(g);
        int end = out.length(g);
        if (direct != null) {
            direct.put(out.directOffset(g) + end, b, payloadOff, payload);
        } else {
            System.arraycopy(b, payloadOff, d, end, payload);
        }
        out.setLength(g, end + payload);
        nextSeq[g] += payload;
        segments[g]++;
        if (psh) {
            d[VirtioNetHdr.LENGTH + Frames.ETH_HEADER + 20 + 13] |= Frames.TCP_PSH; // PSH belongs to the last byte
        }
        if (psh || payload < gsoSize[g]) {
            open[g] = false; // a short or pushed segment ends the run
        }
    }
}
