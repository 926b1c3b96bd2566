package io.weft.controlplane.domain;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.Network;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Cidr;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.AddressTable;
import io.weft.controlplane.store.EndpointTable;
import io.weft.controlplane.store.NetworkTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Creating, reading and deleting networks; CIDRs never overlap, isolation ids never repeat. */
@ApplicationScoped
public class NetworkManager {
    public static final int MAX_ISOLATION_ID = 0xFFFFFF;

    @Inject
    Store store;

    public Network create(CreateNetworkRequest req) {
        String name = Names.resourceName(req.getName(), "network");
        Cidr cidr = Cidr.parse(req.getCidr(), "network CIDR");
        String domain = Names.dnsDomain(req.getDnsDomain());
        if (Integer.toUnsignedLong(req.getIsolationId()) > MAX_ISOLATION_ID) {
            throw WeftException.invalid("isolation id %d is out of range: use 1..%d, or 0 to let the control plane pick",
                    Integer.toUnsignedLong(req.getIsolationId()), MAX_ISOLATION_ID);
        }
        return store.write(tx -> {
            Connection c = tx.connection();
            if (NetworkTable.get(c, name) != null) {
                throw WeftException.exists("network '%s' already exists", name);
            }
            for (Network other : NetworkTable.list(c)) {
                if (Cidr.parse(other.getCidr(), "stored CIDR").overlaps(cidr)) {
                    throw WeftException.precondition("CIDR %s overlaps network '%s' (%s); choose a range outside it",
                            cidr, other.getName(), other.getCidr());
                }
            }
            int isolation = (int) req.getIsolationId();
            if (isolation == 0) {
                isolation = pickIsolationId(c);
            } else if (NetworkTable.isolationIdTaken(c, isolation)) {
                throw WeftException.exists("isolation id %d is used by another network; pass 0 to let the control plane pick", isolation);
            }
            Network n = Network.newBuilder().setName(name).setCidr(cidr.toString()).setDnsDomain(domain)
                    .setIsolationId(isolation).setCreatedRevision(tx.revision()).build();
            NetworkTable.insert(c, n, cidr);
            tx.record(Changes.network(n));
            return n;
        });
    }

    private static int pickIsolationId(Connection c) throws SQLException {
        int next = NetworkTable.maxIsolationId(c) + 1;
        if (next <= MAX_ISOLATION_ID) {
            return next;
        }
        for (int id = 1; id <= MAX_ISOLATION_ID; id++) {
            if (!NetworkTable.isolationIdTaken(c, id)) {
                return id;
            }
        }
        throw WeftException.exhausted("every isolation id is in use; delete unused networks");
    }

    public Network get(String name) {
        String n = Names.resourceName(name, "network");
        Network found = store.read(c -> NetworkTable.get(c, n));
        if (found == null) {
            throw WeftException.notFound("network '%s' does not exist; list networks to see the names", n);
        }
        return found;
    }

    public List<Network> list() {
        return store.read(NetworkTable::list);
    }

    public long delete(String name) {
        String n = Names.resourceName(name, "network");
        return store.write(tx -> {
            Connection c = tx.connection();
            if (NetworkTable.get(c, n) == null) {
                throw WeftException.notFound("network '%s' does not exist", n);
            }
            long endpoints = EndpointTable.countInNetwork(c, n);
            long addresses = AddressTable.countInNetwork(c, n);
            if (endpoints > 0 || addresses > 0) {
                throw WeftException.precondition("network '%s' still has %d endpoint(s) and %d allocated address(es); detach them first",
                        n, endpoints, addresses);
            }
            NetworkTable.delete(c, n);
            tx.record(Changes.networkDeleted(n));
            return tx.revision();
        });
    }

    /** Resolves an optional network name ("" means the default network). */
    static Network require(Connection c, String name, String defaultName) throws SQLException {
        String n = name == null || name.isEmpty() ? defaultName : Names.resourceName(name, "network");
        Network found = NetworkTable.get(c, n);
        if (found == null) {
            throw WeftException.notFound("network '%s' does not exist; create it first or list networks", n);
        }
        return found;
    }
}
