package io.weft.controlplane.domain;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;


import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Network;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Ipv4;
import io.weft.controlplane.model.Macs;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.AddressTable;
import io.weft.controlplane.store.DnsTable;
import io.weft.controlplane.store.EndpointTable;
import io.weft.controlplane.store.Store;
import io.weft.controlplane.store.WriteTx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Attaching containers to networks: address, MAC and DNS names in one transaction. */
@ApplicationScoped
public class EndpointManager {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Store store;
    @Inject
    IpamManager ipam;

    public Endpoint attach(AttachRequest req) {
        String host = Names.resourceName(req.getHost(), "host");
        String container = Names.owner(req.getContainerId(), "container id");
        long claim = req.getIp().isEmpty() ? -1 : Ipv4.parse(req.getIp(), "address");
        String mac = req.getMac().isEmpty() ? null : Macs.normalize(req.getMac());
        return store.write(tx -> {
            Connection c = tx.connection();
            Network n = NetworkManager.require(c, req.getNetwork(), ipam.defaultNetwork());
            IpamManager.requireHost(c, host);
            List<String> names = new ArrayList<>(new LinkedHashSet<>(normalizeNames(req.getDnsNamesList(), n.getDnsDomain())));
            Endpoint existing = EndpointTable.byContainer(c, n.getName(), container);
            if (existing != null) {
                return reattach(tx, existing, host, claim, mac, names);
            }
            String id = "ep-" + HexFormat.of().formatHex(randomBytes(8));
            long ip;
            if (claim >= 0) {
                ipam.claimIn(tx, n, claim, host, container, id);
                ip = claim;
            } else {
                ip = ipam.allocateIn(tx, n, host, container, id);
            }
            String useMac = mac != null ? mac : Macs.fromIp(ip);
            if (EndpointTable.macTaken(c, n.getName(), useMac)) {
                if (mac != null) {
                    throw WeftException.exists("MAC %s is already used in network '%s'; omit the MAC to get a unique one", mac, n.getName());
                }
                // Someone chose the MAC we derive for this address: fall back to a random local one.
                do {
                    useMac = Macs.random(RANDOM);
                } while (EndpointTable.macTaken(c, n.getName(), useMac));
            }
            EndpointTable.insert(c, id, n.getName(), host, container, useMac, ip, tx.revision());
            addNames(tx, id, host, container, ip, names);
            Endpoint e = EndpointTable.get(c, id);
            tx.record(Changes.endpoint(e));
            return e;
        });
    }

    private Endpoint reattach(WriteTx tx, Endpoint existing, String host, long claim, String mac, List<String> names) throws SQLException {
        if (!existing.getHost().equals(host)
                || (claim >= 0 && !existing.getIp().equals(Ipv4.format(claim)))
                || (mac != null && !existing.getMac().equals(mac))) {
            throw WeftException.exists("container %s is already attached to network '%s' as %s (%s on host %s); detach it first",
                    existing.getContainerId(), existing.getNetwork(), existing.getIp(), existing.getMac(), existing.getHost());
        }
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(existing.getDnsNamesList());
        if (missing.isEmpty()) {
            return existing;
        }
        addNames(tx, existing.getId(), host, existing.getContainerId(), Ipv4.parse(existing.getIp(), "address"), missing);
        Endpoint updated = EndpointTable.get(tx.connection(), existing.getId());
        tx.record(Changes.endpoint(updated));
        return updated;
    }

    private static void addNames(WriteTx tx, String endpointId, String host, String container, long ip, List<String> names)
            throws SQLException {
        for (String name : names) {
            DnsRecord existing = DnsTable.get(tx.connection(), name, ip);
            if (existing != null) {
                continue; // the same name -> address is already served; one record is enough
            }
            DnsTable.insert(tx.connection(), name, ip, endpointId, host, container, tx.revision());
            tx.record(Changes.dnsAdded(DnsTable.get(tx.connection(), name, ip)));
        }
    }

    static List<String> normalizeNames(List<String> names, String domain) {
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(Names.dnsName(name, domain));
        }
        return out;
    }

    public record Detached(List<Endpoint> endpoints, long revision) {
    }

    /**
     * Detaches by endpoint id, by container, or every endpoint of a host (reset --leave); network
     * and host, when given, narrow any of these.
     */
    public Detached detach(DetachRequest req) {
        boolean byId = !req.getEndpointId().isEmpty();
        String network = req.getNetwork().isEmpty() ? "" : Names.resourceName(req.getNetwork(), "network");
        String host = req.getHost().isEmpty() ? "" : Names.resourceName(req.getHost(), "host");
        if (!byId && req.getContainerId().isEmpty() && host.isEmpty()) {
            throw WeftException.invalid("say what to detach: an endpoint id, a container id, or a host");
        }
        String container = byId || req.getContainerId().isEmpty() ? "" : Names.owner(req.getContainerId(), "container id");
        return store.write(tx -> {
            Connection c = tx.connection();
            List<Endpoint> targets;
            if (byId) {
                Endpoint e = EndpointTable.get(c, req.getEndpointId());
                boolean matches = e != null && (network.isEmpty() || e.getNetwork().equals(network))
                        && (host.isEmpty() || e.getHost().equals(host));
                targets = matches ? List.of(e) : List.of();
            } else {
                targets = EndpointTable.list(c, network, host, container);
            }
            if (targets.isEmpty()) {
                throw WeftException.notFound("no endpoint matches %s%s%s", byId ? "id " + req.getEndpointId()
                        : container.isEmpty() ? "" : "container " + container,
                        network.isEmpty() ? "" : " in network " + network, host.isEmpty() ? "" : " on host " + host);
            }
            for (Endpoint e : targets) {
                removeEndpoint(tx, e);
            }
            return new Detached(targets, tx.revision());
        });
    }

    /** Removes an endpoint with its address and DNS records, recording each change. */
    static void removeEndpoint(WriteTx tx, Endpoint e) throws SQLException {
        Connection c = tx.connection();
        for (DnsRecord r : DnsTable.byEndpoint(c, e.getId())) {
            DnsTable.delete(c, r.getName(), Ipv4.parse(r.getIp(), "address"));
            tx.record(Changes.dnsRemoved(r));
        }
        AddressTable.delete(c, e.getNetwork(), Ipv4.parse(e.getIp(), "address"));
        EndpointTable.delete(c, e.getId());
        tx.record(Changes.endpointRemoved(e.getId()));
    }

    public Endpoint get(String id) {
        if (id == null || id.isEmpty()) {
            throw WeftException.invalid("endpoint id is empty");
        }
        Endpoint e = store.read(c -> EndpointTable.get(c, id));
        if (e == null) {
            throw WeftException.notFound("endpoint %s does not exist", id);
        }
        return e;
    }

    public List<Endpoint> list(String network, String host, String container) {
        String n = network == null || network.isEmpty() ? "" : Names.resourceName(network, "network");
        String h = host == null || host.isEmpty() ? "" : Names.resourceName(host, "host");
        return store.read(c -> EndpointTable.list(c, n, h, container));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

}
