package io.weft.controlplane.domain;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.Allocation;
import io.weft.api.v1.ClaimRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkUsage;
import io.weft.api.v1.ReleaseRequest;
import io.weft.controlplane.config.WeftConfig;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Cidr;
import io.weft.controlplane.model.Ipv4;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.AddressTable;
import io.weft.controlplane.store.HostTable;
import io.weft.controlplane.store.NetworkTable;
import io.weft.controlplane.store.Store;
import io.weft.controlplane.store.WriteTx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Address allocation. Uniqueness is the database's primary key on (network, ip); this class only
 * picks candidates. It remembers where the last allocation in each network ended (a hint, per
 * replica) so the next search starts there instead of at the bottom of the range.
 */
@ApplicationScoped
public class IpamManager {
    @Inject
    Store store;
    @Inject
    WeftConfig config;

    private final Map<String, Long> cursors = new ConcurrentHashMap<>();

    public Allocation allocate(AllocateRequest req) {
        String host = Names.resourceName(req.getHost(), "host");
        String owner = Names.owner(req.getOwner(), "owner");
        return store.write(tx -> {
            Network n = NetworkManager.require(tx.connection(), req.getNetwork(), defaultNetwork());
            requireHost(tx.connection(), host);
            long ip = allocateIn(tx, n, host, owner, null);
            return AddressTable.get(tx.connection(), n.getName(), ip);
        });
    }

    public Allocation claim(ClaimRequest req) {
        String host = Names.resourceName(req.getHost(), "host");
        String owner = Names.owner(req.getOwner(), "owner");
        long ip = Ipv4.parse(req.getIp(), "address");
        return store.write(tx -> {
            Network n = NetworkManager.require(tx.connection(), req.getNetwork(), defaultNetwork());
            requireHost(tx.connection(), host);
            Allocation existing = AddressTable.get(tx.connection(), n.getName(), ip);
            if (existing != null && existing.getOwner().equals(owner) && existing.getHost().equals(host)) {
                return existing;
            }
            claimIn(tx, n, ip, host, owner, null);
            return AddressTable.get(tx.connection(), n.getName(), ip);
        });
    }

    public long release(ReleaseRequest req) {
        long ip = Ipv4.parse(req.getIp(), "address");
        return store.write(tx -> {
            Network n = NetworkManager.require(tx.connection(), req.getNetwork(), defaultNetwork());
            Allocation a = AddressTable.get(tx.connection(), n.getName(), ip);
            if (a == null) {
                throw WeftException.notFound("%s is not allocated in network '%s'", Ipv4.format(ip), n.getName());
            }
            if (!a.getEndpointId().isEmpty()) {
                throw WeftException.precondition("%s is used by endpoint %s (%s); detach the endpoint instead",
                        a.getIp(), a.getEndpointId(), a.getOwner());
            }
            AddressTable.delete(tx.connection(), n.getName(), ip);
            tx.record(Changes.addressReleased(a));
            return tx.revision();
        });
    }

    public List<Allocation> list(String network, String host) {
        return store.read(c -> AddressTable.list(c, emptyOrName(network, "network"), emptyOrName(host, "host")));
    }

    public List<NetworkUsage> status(String network) {
        return store.read(c -> {
            List<Network> networks = network == null || network.isEmpty()
                    ? NetworkTable.list(c)
                    : List.of(NetworkManager.require(c, network, defaultNetwork()));
            List<NetworkUsage> out = new ArrayList<>();
            for (Network n : networks) {
                Cidr cidr = Cidr.parse(n.getCidr(), "stored CIDR");
                long used = AddressTable.countInNetwork(c, n.getName());
                out.add(NetworkUsage.newBuilder().setNetwork(n.getName()).setCidr(n.getCidr())
                        .setTotal(cidr.usable()).setUsed(used).setFree(cidr.usable() - used)
                        .addAllHosts(AddressTable.usageByHost(c, n.getName())).build());
            }
            return out;
        });
    }

    /** Allocates the next free address inside an open write transaction. */
    long allocateIn(WriteTx tx, Network n, String host, String owner, String endpointId) throws SQLException {
        Cidr cidr = Cidr.parse(n.getCidr(), "stored CIDR");
        long lo = cidr.first() + 1;
        long hi = cidr.last() - 1;
        long start = Math.max(lo, Math.min(hi, cursors.getOrDefault(n.getName(), lo)));
        long ip = AddressTable.firstFree(tx.connection(), n.getName(), start, hi);
        if (ip < 0 && start > lo) {
            ip = AddressTable.firstFree(tx.connection(), n.getName(), lo, start - 1);
        }
        if (ip < 0) {
            throw WeftException.exhausted("network '%s' (%s) has no free address left; release addresses or create a larger network",
                    n.getName(), n.getCidr());
        }
        AddressTable.insert(tx.connection(), n.getName(), ip, host, owner, endpointId, tx.revision());
        cursors.put(n.getName(), ip + 1 > hi ? lo : ip + 1);
        recordPlain(tx, n, ip, endpointId);
        return ip;
    }

    /** Claims a specific address inside an open write transaction. */
    void claimIn(WriteTx tx, Network n, long ip, String host, String owner, String endpointId) throws SQLException {
        Cidr cidr = Cidr.parse(n.getCidr(), "stored CIDR");
        if (!cidr.contains(ip)) {
            throw WeftException.invalid("%s is outside network '%s' (%s)", Ipv4.format(ip), n.getName(), n.getCidr());
        }
        if (!cidr.isAssignable(ip)) {
            throw WeftException.invalid("%s is the %s address of %s and is never handed out", Ipv4.format(ip),
                    ip == cidr.first() ? "network" : "broadcast", n.getCidr());
        }
        Allocation existing = AddressTable.get(tx.connection(), n.getName(), ip);
        if (existing != null) {
            throw WeftException.exists("%s in network '%s' is already held by %s on host %s", Ipv4.format(ip), n.getName(),
                    existing.getOwner(), existing.getHost());
        }
        AddressTable.insert(tx.connection(), n.getName(), ip, host, owner, endpointId, tx.revision());
        recordPlain(tx, n, ip, endpointId);
    }

    /** Addresses held by endpoints travel with the endpoint; plain ones get their own change. */
    private static void recordPlain(WriteTx tx, Network n, long ip, String endpointId) throws SQLException {
        if (endpointId == null) {
            tx.record(Changes.addressAllocated(AddressTable.get(tx.connection(), n.getName(), ip)));
        }
    }

    String defaultNetwork() {
        return config.defaultNetwork().name();
    }

    static void requireHost(Connection c, String host) throws SQLException {
        if (HostTable.get(c, host) == null) {
            throw WeftException.notFound("host '%s' is not registered; start its data plane (weft launch) first", host);
        }
    }

    private static String emptyOrName(String s, String what) {
        return s == null || s.isEmpty() ? "" : Names.resourceName(s, what);
    }
}
