package io.weft.controlplane.domain;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.util.Timestamps;

import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Hello;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.PeerTarget;
import io.weft.api.v1.RemoveHostResponse;
import io.weft.api.v1.DnsRecord;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Endpoints;
import io.weft.controlplane.model.Ipv4;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.AddressTable;
import io.weft.controlplane.store.DnsTable;
import io.weft.controlplane.store.EndpointTable;
import io.weft.controlplane.store.HostTable;
import io.weft.controlplane.store.PeerTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Hosts register themselves with Hello. What other hosts need (endpoints, key, features) is
 * topology and bumps the revision; whether the host is connected right now is liveness and is
 * written without one, so reconnect storms do not flood every watcher with deltas.
 */
@ApplicationScoped
public class HostManager {
    public static final int PUBLIC_KEY_LENGTH = 32;
    private static final int MAX_ENDPOINTS = 16;
    private static final int MAX_FEATURES = 32;

    @Inject
    Store store;

    public Host register(Hello hello) {
        String name = Names.resourceName(hello.getHostName(), "host");
        if (hello.getUnderlayEndpointsCount() > MAX_ENDPOINTS) {
            throw WeftException.invalid("at most %d underlay endpoints are allowed", MAX_ENDPOINTS);
        }
        List<String> underlay = new ArrayList<>();
        for (String e : hello.getUnderlayEndpointsList()) {
            underlay.add(Endpoints.normalize(e, "underlay endpoint"));
        }
        if (!hello.getPublicKey().isEmpty() && hello.getPublicKey().size() != PUBLIC_KEY_LENGTH) {
            throw WeftException.invalid("public key is %d bytes; an X25519 key has %d", hello.getPublicKey().size(), PUBLIC_KEY_LENGTH);
        }
        if (hello.getFeaturesCount() > MAX_FEATURES) {
            throw WeftException.invalid("at most %d features are allowed", MAX_FEATURES);
        }
        for (String f : hello.getFeaturesList()) {
            Names.resourceName(f, "feature");
        }
        String version = hello.getVersion().length() > 128 ? hello.getVersion().substring(0, 128) : hello.getVersion();
        long now = System.currentTimeMillis();
        Host written = store.write(tx -> {
            Connection c = tx.connection();
            Host existing = HostTable.get(c, name);
            Host.Builder b = Host.newBuilder().setName(name).addAllUnderlayEndpoints(underlay).setPublicKey(hello.getPublicKey())
                    .addAllFeatures(hello.getFeaturesList()).setVersion(version).setConnected(true)
                    .setLastSeen(Timestamps.fromMillis(now)).setRevision(tx.revision());
            if (existing == null) {
                b.setPeerId(HostTable.nextPeerId(c));
            } else {
                b.setPeerId(existing.getPeerId());
                if (sameTopology(existing, b)) {
                    return existing;
                }
            }
            Host h = b.build();
            HostTable.upsert(c, h, existing != null);
            tx.record(Changes.host(h));
            return h;
        });
        setConnected(name, true);
        return written.toBuilder().setConnected(true).setLastSeen(Timestamps.fromMillis(now)).build();
    }

    private static boolean sameTopology(Host a, Host.Builder b) {
        return a.getUnderlayEndpointsList().equals(b.getUnderlayEndpointsList())
                && a.getPublicKey().equals(b.getPublicKey())
                && a.getFeaturesList().equals(b.getFeaturesList())
                && a.getVersion().equals(b.getVersion());
    }

    public void setConnected(String name, boolean connected) {
        store.read(c -> {
            HostTable.setConnected(c, name, connected, System.currentTimeMillis());
            return null;
        });
    }

    public Host get(String name) {
        String n = Names.resourceName(name, "host");
        Host h = store.read(c -> HostTable.get(c, n));
        if (h == null) {
            throw WeftException.notFound("host '%s' is not registered", n);
        }
        return h;
    }

    public List<Host> list() {
        return store.read(HostTable::list);
    }

    /** Removes a host and everything it held. */
    public RemoveHostResponse remove(String name) {
        String n = Names.resourceName(name, "host");
        return store.write(tx -> {
            Connection c = tx.connection();
            if (HostTable.get(c, n) == null) {
                throw WeftException.notFound("host '%s' is not registered", n);
            }
            List<Endpoint> endpoints = EndpointTable.list(c, "", n, "");
            for (Endpoint e : endpoints) {
                EndpointManager.removeEndpoint(tx, e);
            }
            int plain = 0;
            for (var a : AddressTable.list(c, "", n)) {
                AddressTable.delete(c, a.getNetwork(), Ipv4.parse(a.getIp(), "address"));
                tx.record(Changes.addressReleased(a));
                plain++;
            }
            for (DnsRecord r : DnsTable.byHost(c, n)) {
                DnsTable.delete(c, r.getName(), Ipv4.parse(r.getIp(), "address"));
                tx.record(Changes.dnsRemoved(r));
            }
            for (PeerTarget t : PeerTable.targetsOfScope(c, n)) {
                PeerTable.deleteTarget(c, n, t.getAddress());
                tx.record(Changes.targetRemoved(t));
            }
            for (LinkState l : PeerTable.linksTouching(c, n)) {
                PeerTable.deleteLink(c, l.getFromHost(), l.getToHost());
            }
            HostTable.delete(c, n);
            tx.record(Changes.hostRemoved(n));
            return RemoveHostResponse.newBuilder().setReleasedEndpoints(endpoints.size())
                    .setReleasedAddresses(endpoints.size() + plain).setRevision(tx.revision()).build();
        });
    }
}
