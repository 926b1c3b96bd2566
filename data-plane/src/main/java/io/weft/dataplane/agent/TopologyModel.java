package io.weft.dataplane.agent;

import io.weft.api.v1.Change;
import io.weft.api.v1.Delta;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Network;
import io.weft.api.v1.PeerTarget;
import io.weft.api.v1.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This host's copy of the control plane's topology, kept current from the watch stream: a
 * {@link Snapshot} replaces everything, a {@link Delta} applies its changes in order and moves the
 * held revision to the delta's. {@link #snapshot()} gives an immutable copy in Snapshot form, which
 * is both what the rest of the daemon reads and what is persisted.
 *
 * <p>Thread-safe (one writer, the watch client; readers take snapshots). Not on the packet path.
 */
public final class TopologyModel {
    private long revision;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, DnsRecord> dns = new LinkedHashMap<>();
    private final Map<String, PeerTarget> targets = new LinkedHashMap<>();
    private final Map<String, LinkState> links = new LinkedHashMap<>();

    public synchronized long revision() {
        return revision;
    }

    /** Replaces the whole state. */
    public synchronized void apply(Snapshot s) {
        networks.clear();
        hosts.clear();
        endpoints.clear();
        dns.clear();
        targets.clear();
        links.clear();
        s.getNetworksList().forEach(n -> networks.put(n.getName(), n));
        s.getHostsList().forEach(h -> hosts.put(h.getName(), h));
        s.getEndpointsList().forEach(e -> endpoints.put(e.getId(), e));
        s.getDnsRecordsList().forEach(r -> dns.put(dnsKey(r), r));
        s.getPeerTargetsList().forEach(t -> targets.put(targetKey(t), t));
        s.getLinksList().forEach(l -> links.put(linkKey(l), l));
        revision = s.getRevision();
    }

    /**
     * Applies one revision's changes. A delta at or below the held revision was already applied
     * (a duplicate after a reconnect) and is ignored; returns whether it was applied.
     */
    public synchronized boolean apply(Delta d) {
        if (d.getRevision() <= revision) {
            return false;
        }
        for (Change c : d.getChangesList()) {
            apply(c);
        }
        revision = d.getRevision();
        return true;
    }

    private void apply(Change c) {
        switch (c.getKindCase()) {
            case NETWORK_UPSERTED -> networks.put(c.getNetworkUpserted().getName(), c.getNetworkUpserted());
            case NETWORK_DELETED -> {
                networks.remove(c.getNetworkDeleted());
                endpoints.values().removeIf(e -> e.getNetwork().equals(c.getNetworkDeleted()));
            }
            case HOST_UPSERTED -> hosts.put(c.getHostUpserted().getName(), c.getHostUpserted());
            case HOST_REMOVED -> {
                String h = c.getHostRemoved();
                hosts.remove(h);
                endpoints.values().removeIf(e -> e.getHost().equals(h));
                links.values().removeIf(l -> l.getFromHost().equals(h) || l.getToHost().equals(h));
            }
            case ENDPOINT_UPSERTED -> endpoints.put(c.getEndpointUpserted().getId(), c.getEndpointUpserted());
            case ENDPOINT_REMOVED -> {
                endpoints.remove(c.getEndpointRemoved());
                dns.values().removeIf(r -> r.getEndpointId().equals(c.getEndpointRemoved()));
            }
            case DNS_ADDED -> dns.put(dnsKey(c.getDnsAdded()), c.getDnsAdded());
            case DNS_REMOVED -> dns.remove(dnsKey(c.getDnsRemoved()));
            case TARGET_ADDED -> targets.put(targetKey(c.getTargetAdded()), c.getTargetAdded());
            case TARGET_REMOVED -> targets.remove(targetKey(c.getTargetRemoved()));
            case LINK_UPDATED -> links.put(linkKey(c.getLinkUpdated()), c.getLinkUpdated());
            default -> {
                // address_allocated / address_released: IPAM bookkeeping the data path does not need;
                // unknown kinds from a newer control plane are ignored too.
            }
        }
    }

    /** The whole state at {@link #revision()}, as an immutable Snapshot. */
    public synchronized Snapshot snapshot() {
        return Snapshot.newBuilder()
                .setRevision(revision)
                .addAllNetworks(networks.values())
                .addAllHosts(hosts.values())
                .addAllEndpoints(endpoints.values())
                .addAllDnsRecords(dns.values())
                .addAllPeerTargets(targets.values())
                .addAllLinks(links.values())
                .build();
    }

    static String dnsKey(DnsRecord r) {
        return r.getName().toLowerCase(java.util.Locale.ROOT) + "|" + r.getIp();
    }

    static String targetKey(PeerTarget t) {
        return t.getAddress() + "|" + t.getHost();
    }

    static String linkKey(LinkState l) {
        return l.getFromHost() + "|" + l.getToHost();
    }
}
