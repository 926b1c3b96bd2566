package io.weft.controlplane.domain;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.protobuf.util.Timestamps;

import io.weft.api.v1.LinkState;
import io.weft.api.v1.PeerTarget;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Endpoints;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.PeerTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Peer targets (connect / forget) and the link states hosts report. */
@ApplicationScoped
public class PeerManager {
    private static final int MAX_REASON = 256;

    @Inject
    Store store;

    public record Targets(List<PeerTarget> targets, long revision) {
    }

    public Targets connect(List<String> addresses, String host, boolean replace) {
        String scope = host == null || host.isEmpty() ? "" : Names.resourceName(host, "host");
        if (addresses.isEmpty() && !replace) {
            throw WeftException.invalid("give at least one address to connect to");
        }
        Set<String> wanted = normalize(addresses);
        return store.write(tx -> {
            Connection c = tx.connection();
            if (replace) {
                for (PeerTarget t : PeerTable.targetsOfScope(c, scope)) {
                    if (!wanted.contains(t.getAddress())) {
                        PeerTable.deleteTarget(c, scope, t.getAddress());
                        tx.record(Changes.targetRemoved(t));
                    }
                }
            }
            for (String address : wanted) {
                if (!PeerTable.hasTarget(c, scope, address)) {
                    PeerTable.insertTarget(c, scope, address, tx.revision());
                    tx.record(Changes.targetAdded(PeerTarget.newBuilder().setHost(scope).setAddress(address)
                            .setRevision(tx.revision()).build()));
                }
            }
            return new Targets(PeerTable.targetsOfScope(c, scope), tx.resultRevision());
        });
    }

    public Targets forget(List<String> addresses, String host) {
        String scope = host == null || host.isEmpty() ? "" : Names.resourceName(host, "host");
        if (addresses.isEmpty()) {
            throw WeftException.invalid("give at least one address to forget");
        }
        Set<String> gone = normalize(addresses);
        return store.write(tx -> {
            Connection c = tx.connection();
            for (String address : gone) {
                if (!PeerTable.hasTarget(c, scope, address)) {
                    throw WeftException.notFound("%s is not a peer target%s", address, scope.isEmpty() ? "" : " of host " + scope);
                }
            }
            List<PeerTarget> removed = new ArrayList<>();
            for (PeerTarget t : PeerTable.targetsOfScope(c, scope)) {
                if (gone.contains(t.getAddress())) {
                    PeerTable.deleteTarget(c, scope, t.getAddress());
                    tx.record(Changes.targetRemoved(t));
                    removed.add(t);
                }
            }
            return new Targets(removed, tx.resultRevision());
        });
    }

    public List<PeerTarget> targets(String host) {
        String h = host == null || host.isEmpty() ? "" : Names.resourceName(host, "host");
        return store.read(c -> PeerTable.targets(c, h));
    }

    public List<LinkState> links(String host) {
        String h = host == null || host.isEmpty() ? "" : Names.resourceName(host, "host");
        return store.read(c -> PeerTable.links(c, h));
    }

    /**
     * Stores what a host reports about its links. Only changes of state, path, encryption or
     * reason are topology (and bump the revision); a new RTT alone is not worth a delta to everyone.
     */
    public void report(String host, List<LinkState> links) {
        List<LinkState> clean = new ArrayList<>();
        for (LinkState l : links) {
            String to = Names.resourceName(l.getToHost(), "link peer host");
            String reason = l.getReason().length() > MAX_REASON ? l.getReason().substring(0, MAX_REASON) : l.getReason();
            String via = l.getVia().isEmpty() ? "" : Names.resourceName(l.getVia(), "relay host");
            String endpoint = l.getEndpoint().isEmpty() ? "" : Endpoints.normalize(l.getEndpoint(), "link endpoint");
            clean.add(l.toBuilder().setFromHost(host).setToHost(to).setReason(reason).setVia(via).setEndpoint(endpoint)
                    .setUpdated(l.hasUpdated() ? l.getUpdated() : Timestamps.fromMillis(System.currentTimeMillis())).build());
        }
        if (clean.isEmpty()) {
            return;
        }
        store.write(tx -> {
            for (LinkState l : clean) {
                LinkState old = PeerTable.link(tx.connection(), l.getFromHost(), l.getToHost());
                if (old != null && Timestamps.compare(old.getUpdated(), l.getUpdated()) > 0) {
                    continue; // an older observation than the one stored (reports crossed in flight)
                }
                if (old != null && old.getState() == l.getState() && old.getVia().equals(l.getVia())
                        && old.getEncrypted() == l.getEncrypted() && old.getReason().equals(l.getReason())
                        && old.getEndpoint().equals(l.getEndpoint())) {
                    continue;
                }
                PeerTable.upsertLink(tx.connection(), l, old != null);
                tx.record(Changes.link(l));
            }
            return null;
        });
    }

    private static Set<String> normalize(List<String> addresses) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : addresses) {
            out.add(Endpoints.normalize(a, "peer address"));
        }
        return out;
    }
}
