package io.weft.controlplane.watch;

import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Snapshot;
import io.weft.controlplane.store.DnsTable;
import io.weft.controlplane.store.EndpointTable;
import io.weft.controlplane.store.HostTable;
import io.weft.controlplane.store.NetworkTable;
import io.weft.controlplane.store.PeerTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The latest full snapshot, serialised once and shared by every watcher that needs one. It is
 * rebuilt only when the deltas after it have left the in-memory ring, so a reconnect storm of
 * thousands of agents reads the database once.
 */
@ApplicationScoped
public class SnapshotCache {
    @Inject
    Store store;
    @Inject
    ChangeFeed feed;

    private volatile Encoded cached;

    /** The cached snapshot if it is still fresh enough, without touching the database; else null. */
    public Encoded fresh() {
        Encoded c = cached;
        return c != null && c.revision >= feed.floor() ? c : null;
    }

    public Encoded get() {
        Encoded c = cached;
        if (c != null && c.revision >= feed.floor()) {
            return c;
        }
        synchronized (this) {
            c = cached;
            if (c != null && c.revision >= feed.floor()) {
                return c;
            }
            c = build();
            cached = c;
            return c;
        }
    }

    private Encoded build() {
        Snapshot snapshot = store.readConsistent((conn, rev) -> Snapshot.newBuilder()
                .setRevision(rev)
                .addAllNetworks(NetworkTable.list(conn))
                .addAllHosts(HostTable.list(conn))
                .addAllEndpoints(EndpointTable.list(conn, "", "", ""))
                .addAllDnsRecords(DnsTable.list(conn, "", "", ""))
                .addAllPeerTargets(PeerTable.targets(conn, ""))
                .addAllLinks(PeerTable.links(conn, ""))
                .build());
        return Encoded.of(ControlMessage.newBuilder().setSnapshot(snapshot).build(), snapshot.getRevision());
    }
}
