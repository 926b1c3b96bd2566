package io.weft.dataplane.dns;

import java.nio.ByteBuffer;

/**
 * The common query answered straight from bytes: one question of class IN, a name in a Weft
 * domain, type A (or any other type but ANY and SOA: no data), no EDNS0 or a plain version-0 OPT,
 * nothing else in the packet. The answer is the zone's precomputed resource records copied behind
 * the client's own question (so its case is kept, and every record's owner is a 2-byte pointer to
 * it). Everything else, and answers that would not fit the client's UDP buffer, return null and
 * go through dnsjava in {@link DnsAnswerer}, which gives the same answers (see the tests) but
 * costs several allocations per query.
 */
final class FastPath {
    private static final int TYPE_A = 1;
    private static final int TYPE_SOA = 6;
    private static final int TYPE_OPT = 41;
    private static final int TYPE_ANY = 255;
    private static final int CLASS_IN = 1;
    private static final int RCODE_NXDOMAIN = 3;
    private static final int OPT_RR = 11;

    private FastPath() {
    }

    /** The answer's bytes, or null to take the general path. {@code in} is not consumed. */
    static byte[] answer(ByteBuffer in, DnsZone zone, boolean udp, int maxUdpPayload) {
        int base = in.position();
        int len = in.remaining();
        if (len < 17 || (in.get(base + 2) & 0xf8) != 0 || in.getShort(base + 4) != 1 || in.getShort(base + 6) != 0
                || in.getShort(base + 8) != 0) {
            return null; // a response, another opcode; or not exactly one question and no answers
        }
        int arcount = in.getShort(base + 10) & 0xffff;
        if (arcount > 1) {
            return null;
        }
        // The question name: plain labels only (a query has nothing to point back at), lower-cased.
        int p = 12;
        byte[] scratch = new byte[Math.min(len - 12, 255)];
        int n = 0;
        while (true) {
            if (p >= len || n >= scratch.length) {
                return null;
            }
            int l = in.get(base + p) & 0xff;
            if (l > 63) {
                return null;
            }
            scratch[n++] = (byte) l;
            p++;
            if (l == 0) {
                break;
            }
            if (p + l > len || n + l > scratch.length) {
                return null;
            }
            for (int i = 0; i < l; i++) {
                byte c = in.get(base + p + i);
                scratch[n++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
            }
            p += l;
        }
        if (p + 4 > len) {
            return null;
        }
        int qtype = in.getShort(base + p) & 0xffff;
        int qclass = in.getShort(base + p + 2) & 0xffff;
        int questionEnd = p + 4;
        if (qclass != CLASS_IN || qtype == TYPE_ANY || qtype == TYPE_SOA || qtype == TYPE_OPT) {
            return null;
        }
        int limit = udp ? QueryProcessor.CLASSIC_UDP : 65535;
        boolean edns = false;
        if (arcount == 1) {
            // Exactly one OPT record at the end: root owner, version 0; its options are ignored.
            int o = questionEnd;
            if (o + OPT_RR > len || in.get(base + o) != 0 || (in.getShort(base + o + 1) & 0xffff) != TYPE_OPT
                    || in.get(base + o + 6) != 0 || o + OPT_RR + (in.getShort(base + o + 9) & 0xffff) != len) {
                return null;
            }
            edns = true;
            if (udp) {
                limit = Math.min(maxUdpPayload, Math.max(QueryProcessor.CLASSIC_UDP, in.getShort(base + o + 3) & 0xffff));
            }
        } else if (questionEnd != len) {
            return null;
        }
        byte[] nameBytes = n == scratch.length ? scratch : java.util.Arrays.copyOf(scratch, n);
        DnsZone z = zone;
        byte[] domainSoa = z.soaRecordFor(nameBytes);
        if (domainSoa == null) {
            return null; // not a Weft name: PTR or upstream
        }
        WireName key = new WireName(nameBytes);
        DnsZone.Addresses a = z.addresses(key);
        int rcode = 0;
        byte[] rrs = null;
        int rrOffset = 0;
        int ancount = 0;
        boolean soa = true;
        if (a != null) {
            if (qtype == TYPE_A) {
                ancount = a.records.length;
                rrOffset = Math.floorMod(a.next.getAndIncrement(), ancount) * DnsZone.A_RR;
                rrs = a.wireTwice;
                soa = false;
            }
        } else if (!z.exists(key)) {
            rcode = RCODE_NXDOMAIN;
        }
        int size = questionEnd + ancount * DnsZone.A_RR + (soa ? domainSoa.length : 0) + (edns ? OPT_RR : 0);
        if (size > limit) {
            return null; // truncation is done by the general path
        }
        byte[] out = new byte[size];
        out[0] = in.get(base);
        out[1] = in.get(base + 1);
        out[2] = (byte) (0x84 | (in.get(base + 2) & 0x01)); // QR, AA, RD as asked
        out[3] = (byte) (0x80 | rcode); // RA: other names are forwarded
        out[5] = 1;
        out[7] = (byte) ancount;
        out[6] = (byte) (ancount >>> 8);
        out[9] = (byte) (soa ? 1 : 0);
        out[11] = (byte) (edns ? 1 : 0);
        in.get(base + 12, out, 12, questionEnd - 12);
        int w = questionEnd;
        if (rrs != null) {
            System.arraycopy(rrs, rrOffset, out, w, ancount * DnsZone.A_RR);
            w += ancount * DnsZone.A_RR;
        }
        if (soa) {
            System.arraycopy(domainSoa, 0, out, w, domainSoa.length);
            w += domainSoa.length;
        }
        if (edns) {
            out[w + 2] = TYPE_OPT;
            out[w + 3] = (byte) (maxUdpPayload >>> 8);
            out[w + 4] = (byte) maxUdpPayload;
        }
        return out;
    }

    /** The question type of a message whose question starts at 12 (for metrics). */
    static int questionType(byte[] msg) {
        int p = 12;
        while (msg[p] != 0) {
            p += (msg[p] & 0xff) + 1;
        }
        return (msg[p + 1] & 0xff) << 8 | (msg[p + 2] & 0xff);
    }
}
