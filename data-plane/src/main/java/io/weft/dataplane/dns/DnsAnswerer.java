package io.weft.dataplane.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The answer logic: decides from the current {@link DnsZone} whether a well-formed query is
 * answered here and builds that answer, or says it goes upstream. No I/O, no blocking, no
 * per-query index building: safe on an event loop.
 */
public final class DnsAnswerer {
    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");

    private volatile DnsZone zone;

    public DnsAnswerer(DnsZone zone) {
        this.zone = zone;
    }

    public void setZone(DnsZone zone) {
        this.zone = zone;
    }

    public DnsZone zone() {
        return zone;
    }

    /**
     * The local answer to a query with exactly one question, or null when it must be forwarded:
     * names outside every Weft domain, and reverse names of addresses outside Weft's networks.
     */
    public Message answer(Message query) {
        Record q = query.getQuestion();
        Name name = q.getName();
        DnsZone z = zone;
        Name domain = z.domainOf(name);
        if (domain != null) {
            return forName(query, z, name, q.getType(), q.getDClass(), domain);
        }
        int ip = reverseAddress(name);
        if (ip != -1 && z.isWeftAddress(ip)) {
            return forReverseName(query, z, name, q.getType(), q.getDClass());
        }
        return null;
    }

    private static Message forName(Message query, DnsZone z, Name name, int type, int dclass, Name domain) {
        if (!isInternet(dclass)) {
            return reply(query, Rcode.REFUSED);
        }
        DnsZone.Addresses a = z.addresses(name);
        if (a != null) {
            Message m = reply(query, Rcode.NOERROR);
            if (type == Type.A || type == Type.ANY) {
                // Round robin: every answer carries every address, starting one further each time.
                ARecordRotation.addRotated(m, a);
            } else {
                negative(m, z, domain);
            }
            return m;
        }
        if (z.existsWithoutAddresses(name)) {
            Message m = reply(query, Rcode.NOERROR);
            if (name.equals(domain) && (type == Type.SOA || type == Type.ANY)) {
                m.addRecord(z.soa(domain), Section.ANSWER);
            } else {
                negative(m, z, domain);
            }
            return m;
        }
        Message m = reply(query, Rcode.NXDOMAIN);
        negative(m, z, domain);
        return m;
    }

    private static Message forReverseName(Message query, DnsZone z, Name name, int type, int dclass) {
        if (!isInternet(dclass)) {
            return reply(query, Rcode.REFUSED);
        }
        PTRRecord[] ptrs = z.pointers(name);
        if (ptrs == null) {
            return reply(query, Rcode.NXDOMAIN);
        }
        Message m = reply(query, Rcode.NOERROR);
        if (type == Type.PTR || type == Type.ANY) {
            for (PTRRecord p : ptrs) {
                m.addRecord(p, Section.ANSWER);
            }
        }
        return m;
    }

    /** NXDOMAIN / no data: the SOA in the authority section lets resolvers cache the answer for the TTL (RFC 2308). */
    private static void negative(Message m, DnsZone z, Name domain) {
        SOARecord soa = z.soa(domain);
        if (soa != null) {
            m.addRecord(soa, Section.AUTHORITY);
        }
    }

    private static boolean isInternet(int dclass) {
        return dclass == DClass.IN || dclass == DClass.ANY;
    }

    /** An authoritative reply skeleton: same id, question and RD; RA because other names are forwarded. */
    static Message reply(Message query, int rcode) {
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            m.getHeader().setFlag(Flags.RD);
        }
        m.getHeader().setRcode(rcode);
        m.addRecord(query.getQuestion(), Section.QUESTION);
        return m;
    }

    /** The IPv4 address of a full reverse name (d.c.b.a.in-addr.arpa.), or -1. */
    static int reverseAddress(Name name) {
        if (name.labels() != 7 || !name.subdomain(IN_ADDR_ARPA)) {
            return -1;
        }
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            String label = name.getLabelString(i);
            int octet;
            try {
                octet = label.length() <= 3 ? Integer.parseInt(label) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
            if (octet < 0 || octet > 255 || label.startsWith("+") || label.startsWith("-")) {
                return -1;
            }
            v = v << 8 | octet;
        }
        return v;
    }
}
