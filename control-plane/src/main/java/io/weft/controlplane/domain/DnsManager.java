package io.weft.controlplane.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Ipv4;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.DnsTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** DNS records, including ones not tied to any container (dns-add of an external address). */
@ApplicationScoped
public class DnsManager {
    @Inject
    Store store;

    public record Added(List<DnsRecord> records, long revision) {
    }

    public record Removed(int count, long revision) {
    }

    public Added add(AddDnsRecordsRequest req) {
        String name = Names.dnsName(req.getName(), req.getDnsDomain());
        List<Long> ips = parseIps(req.getIpsList(), true);
        String host = req.getHost().isEmpty() ? "" : Names.resourceName(req.getHost(), "host");
        String container = req.getContainerId().isEmpty() ? "" : Names.owner(req.getContainerId(), "container id");
        return store.write(tx -> {
            List<DnsRecord> out = new ArrayList<>();
            for (long ip : ips) {
                DnsRecord r = DnsTable.get(tx.connection(), name, ip);
                if (r == null) {
                    DnsTable.insert(tx.connection(), name, ip, null, host, container, tx.revision());
                    r = DnsRecord.newBuilder().setName(name).setIp(Ipv4.format(ip)).setHost(host).setContainerId(container)
                            .setRevision(tx.revision()).build();
                    tx.record(Changes.dnsAdded(r));
                }
                out.add(r);
            }
            return new Added(out, tx.resultRevision());
        });
    }

    public Removed remove(RemoveDnsRecordsRequest req) {
        boolean byContainer = req.getName().isEmpty();
        if (byContainer && req.getContainerId().isEmpty()) {
            throw WeftException.invalid("give a name (and optionally addresses) or a container id to remove records of");
        }
        String name = byContainer ? "" : Names.dnsName(req.getName(), req.getDnsDomain());
        List<Long> ips = parseIps(req.getIpsList(), false);
        return store.write(tx -> {
            List<DnsRecord> candidates = byContainer ? DnsTable.byContainer(tx.connection(), req.getContainerId())
                    : DnsTable.byName(tx.connection(), name);
            int removed = 0;
            for (DnsRecord r : candidates) {
                long ip = Ipv4.parse(r.getIp(), "address");
                boolean containerMatches = req.getContainerId().isEmpty() || req.getContainerId().equals(r.getContainerId());
                if ((ips.isEmpty() || ips.contains(ip)) && containerMatches) {
                    DnsTable.delete(tx.connection(), r.getName(), ip);
                    tx.record(Changes.dnsRemoved(r));
                    removed++;
                }
            }
            if (removed == 0) {
                throw WeftException.notFound("no DNS record matches %s%s", byContainer ? "container " + req.getContainerId() : name,
                        ips.isEmpty() ? "" : " with the given addresses");
            }
            return new Removed(removed, tx.resultRevision());
        });
    }

    public List<DnsRecord> list(String name, String domain, String host) {
        String n = name == null || name.isEmpty() ? "" : Names.dnsName(name, null);
        String d = domain == null || domain.isEmpty() ? "" : Names.dnsDomain(domain);
        String h = host == null || host.isEmpty() ? "" : Names.resourceName(host, "host");
        return store.read(c -> DnsTable.list(c, n, d, h));
    }

    public record Lookup(String name, List<String> ips) {
    }

    public Lookup lookup(String name, String domain) {
        String n = Names.dnsName(name, domain);
        List<DnsRecord> records = store.read(c -> DnsTable.byName(c, n));
        if (records.isEmpty()) {
            throw WeftException.notFound("%s has no DNS record", n);
        }
        return new Lookup(n, records.stream().map(DnsRecord::getIp).toList());
    }

    private static List<Long> parseIps(List<String> ips, boolean required) {
        if (required && ips.isEmpty()) {
            throw WeftException.invalid("give at least one IPv4 address for the name");
        }
        LinkedHashSet<Long> out = new LinkedHashSet<>();
        for (String ip : ips) {
            out.add(Ipv4.parse(ip, "address"));
        }
        return new ArrayList<>(out);
    }
}
