package io.weft.dataplane.dns;

import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Network;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * What this host answers locally, precomputed from the records and networks the control plane
 * pushed: built once per topology change (off the query path) so a query is a hash lookup plus a
 * rotation. Immutable except the round-robin counters.
 *
 * <p>Names are dnsjava {@link Name}s, whose equals/hashCode ignore case, so lookups are
 * case-insensitive without lower-casing per query.
 */
public final class DnsZone {
    public static final String DEFAULT_DOMAIN = "weave.local";

    /** Bytes of one A record as answered: owner = pointer to the question, type, class, TTL, length, address. */
    static final int A_RR = 16;

    /**
     * A name's addresses in record order, and where the next answer starts (round robin, shared by
     * both answer paths). {@code wireTwice} holds the records in wire form twice in a row, so the
     * answer starting at record k is one copy of n records from offset k * {@link #A_RR}.
     */
    static final class Addresses {
        final ARecord[] records;
        final byte[] wireTwice;
        final AtomicInteger next = new AtomicInteger();

        Addresses(ARecord[] records) {
            this.records = records;
            int n = records.length;
            this.wireTwice = new byte[2 * n * A_RR];
            for (int i = 0; i < 2 * n; i++) {
                ARecord r = records[i % n];
                int o = i * A_RR;
                byte[] ttl = {(byte) (r.getTTL() >>> 24), (byte) (r.getTTL() >>> 16), (byte) (r.getTTL() >>> 8), (byte) r.getTTL()};
                byte[] ip = r.getAddress().getAddress();
                byte[] rr = {(byte) 0xc0, 12, 0, 1, 0, 1, ttl[0], ttl[1], ttl[2], ttl[3], 0, 4, ip[0], ip[1], ip[2], ip[3]};
                System.arraycopy(rr, 0, wireTwice, o, A_RR);
            }
        }
    }

    /** A domain in lower-case wire form with its SOA record, uncompressed, as the authority of negative answers. */
    private record WireDomain(byte[] name, byte[] soaRecord) {
    }

    private final long ttl;
    private final List<Name> domains;
    private final Map<Name, SOARecord> soaByDomain;
    private final Map<Name, Addresses> addresses;
    /** Names that exist without addresses of their own (parents of record names, the domains). */
    private final Set<Name> emptyNonTerminals;
    private final Map<Name, PTRRecord[]> pointers;
    private final Ipv4Prefix[] weftPrefixes;
    private final int recordCount;
    /** The same, keyed by wire bytes for {@link FastPath}; domains longest first. */
    private final Map<WireName, Addresses> addressesByWire = new HashMap<>();
    private final Set<WireName> emptyByWire = new HashSet<>();
    private final List<WireDomain> wireDomains = new ArrayList<>();

    private DnsZone(long ttl, List<Name> domains, Map<Name, SOARecord> soa, Map<Name, Addresses> addresses,
            Set<Name> emptyNonTerminals, Map<Name, PTRRecord[]> pointers, Ipv4Prefix[] weftPrefixes, int recordCount) {
        this.ttl = ttl;
        this.domains = domains;
        this.soaByDomain = soa;
        this.addresses = addresses;
        this.emptyNonTerminals = emptyNonTerminals;
        this.pointers = pointers;
        this.weftPrefixes = weftPrefixes;
        this.recordCount = recordCount;
        addresses.forEach((n, a) -> addressesByWire.put(new WireName(n.toWireCanonical()), a));
        emptyNonTerminals.forEach(n -> emptyByWire.add(new WireName(n.toWireCanonical())));
        domains.stream().sorted((x, y) -> y.labels() - x.labels())
                .forEach(d -> wireDomains.add(new WireDomain(d.toWireCanonical(), soa.get(d).toWire(Section.AUTHORITY))));
    }

    public static DnsZone empty(long ttlSeconds) {
        return build(List.of(), List.of(), ttlSeconds, 0);
    }

    /**
     * Indexes the records whose names lie in one of the networks' domains (records outside every
     * domain are not served: names beyond Weft's domains always go upstream, so a record can never
     * shadow a real name). {@code serial} goes into the SOA (the topology revision).
     */
    public static DnsZone build(Collection<Network> networks, Collection<DnsRecord> records, long ttlSeconds, long serial) {
        Set<Name> domainSet = new LinkedHashSet<>();
        List<Ipv4Prefix> prefixes = new ArrayList<>();
        for (Network n : networks) {
            Name d = absolute(n.getDnsDomain().isBlank() ? DEFAULT_DOMAIN : n.getDnsDomain());
            if (d != null) {
                domainSet.add(d);
            }
            Ipv4Prefix p = Ipv4Prefix.parse(n.getCidr());
            if (p != null) {
                prefixes.add(p);
            }
        }
        List<Name> domains = List.copyOf(domainSet);
        Map<Name, SOARecord> soa = new HashMap<>();
        for (Name d : domains) {
            soa.put(d, soa(d, ttlSeconds, serial));
        }
        Map<Name, List<ARecord>> byName = new LinkedHashMap<>();
        Map<Name, List<PTRRecord>> byReverse = new HashMap<>();
        Set<Name> ents = new HashSet<>(domains);
        Set<String> seen = new HashSet<>();
        int count = 0;
        for (DnsRecord r : records) {
            Name name = absolute(r.getName());
            Name domain = name == null ? null : domainOf(domains, name);
            InetAddress ip = ipv4(r.getIp());
            if (domain == null || ip == null || !seen.add(name.toString().toLowerCase(Locale.ROOT) + "|" + r.getIp())) {
                continue;
            }
            count++;
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new ARecord(name, DClass.IN, ttlSeconds, ip));
            Name reverse = ReverseMap.fromAddress(ip);
            byReverse.computeIfAbsent(reverse, k -> new ArrayList<>()).add(new PTRRecord(reverse, DClass.IN, ttlSeconds, name));
            for (Name parent = parent(name); parent != null && parent.subdomain(domain) && !parent.equals(domain); parent = parent(parent)) {
                ents.add(parent);
            }
        }
        Map<Name, Addresses> addresses = new HashMap<>();
        byName.forEach((n, l) -> addresses.put(n, new Addresses(l.toArray(new ARecord[0]))));
        Map<Name, PTRRecord[]> pointers = new HashMap<>();
        byReverse.forEach((n, l) -> pointers.put(n, l.toArray(new PTRRecord[0])));
        ents.removeAll(addresses.keySet());
        return new DnsZone(ttlSeconds, domains, soa, addresses, ents, pointers, prefixes.toArray(new Ipv4Prefix[0]), count);
    }

    private static SOARecord soa(Name domain, long ttl, long serial) {
        try {
            return new SOARecord(domain, DClass.IN, ttl, Name.fromString("ns", domain), Name.fromString("hostmaster", domain),
                    serial & 0xffffffffL, 3600, 600, 86400, ttl);
        } catch (TextParseException e) {
            throw new IllegalStateException("domain " + domain + " too long for its SOA names", e);
        }
    }

    static Name absolute(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            return null;
        }
    }

    private static Name parent(Name n) {
        return n.labels() <= 1 ? null : new Name(n, 1);
    }

    private static InetAddress ipv4(String s) {
        int a = Ipv4Prefix.parseAddress(s);
        if (a == -1) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Name domainOf(List<Name> domains, Name name) {
        Name best = null;
        for (Name d : domains) {
            if (name.subdomain(d) && (best == null || d.labels() > best.labels())) {
                best = d;
            }
        }
        return best;
    }

    /** The Weft domain {@code name} lies in (itself or a subdomain), or null when it goes upstream. */
    public Name domainOf(Name name) {
        return domainOf(domains, name);
    }

    /** The name's A records, or null when it has none. */
    Addresses addresses(Name name) {
        return addresses.get(name);
    }

    /** True for names that exist in a domain without addresses (the domain, parents of names). */
    boolean existsWithoutAddresses(Name name) {
        return emptyNonTerminals.contains(name);
    }

    SOARecord soa(Name domain) {
        return soaByDomain.get(domain);
    }

    /** PTR records of a reverse name, or null. */
    PTRRecord[] pointers(Name reverse) {
        return pointers.get(reverse);
    }

    /** Whether the address lies in one of Weft's networks (reverse lookups for it are answered here). */
    public boolean isWeftAddress(int ipv4) {
        for (Ipv4Prefix p : weftPrefixes) {
            if (p.contains(ipv4)) {
                return true;
            }
        }
        return false;
    }

    /** The SOA record (wire) of the Weft domain a lower-case wire name lies in, or null when it lies in none. */
    byte[] soaRecordFor(byte[] wireName) {
        for (WireDomain d : wireDomains) {
            if (WireName.endsWith(wireName, d.name())) {
                return d.soaRecord();
            }
        }
        return null;
    }

    Addresses addresses(WireName name) {
        return addressesByWire.get(name);
    }

    /** Whether a name without addresses exists (the domains, parents of names). */
    boolean exists(WireName name) {
        return emptyByWire.contains(name);
    }

    public long ttl() {
        return ttl;
    }

    public List<Name> domains() {
        return domains;
    }

    /** Name -> address pairs served. */
    public int recordCount() {
        return recordCount;
    }
}
