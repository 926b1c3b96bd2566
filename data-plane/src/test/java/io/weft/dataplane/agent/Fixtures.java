package io.weft.dataplane.agent;

import io.weft.api.v1.Change;
import io.weft.api.v1.Delta;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Network;
import io.weft.api.v1.Snapshot;

/** Topology fixtures: networks blue (iso 100) and red (200), hosts h1..h3, a few endpoints. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Network network(String name, String cidr, int iso) {
        return Network.newBuilder().setName(name).setCidr(cidr).setIsolationId(iso).setDnsDomain("weave.local").build();
    }

    public static Host host(String name, int peerId) {
        return Host.newBuilder().setName(name).setPeerId(peerId).addUnderlayEndpoints("198.18.0." + (10 + peerId) + ":6783").build();
    }

    public static Endpoint endpoint(String id, String network, String host, String mac, String ip) {
        return Endpoint.newBuilder().setId(id).setNetwork(network).setHost(host).setContainerId("netns:" + id).setMac(mac)
                .setIp(ip).setPrefixLength(24).build();
    }

    public static LinkState link(String from, String to, LinkState.State state) {
        return LinkState.newBuilder().setFromHost(from).setToHost(to).setState(state).build();
    }

    public static Snapshot snapshot() {
        return Snapshot.newBuilder().setRevision(10)
                .addNetworks(network("blue", "100.64.1.0/24", 100))
                .addNetworks(network("red", "100.64.2.0/24", 200))
                .addHosts(host("h1", 1)).addHosts(host("h2", 2)).addHosts(host("h3", 3))
                .addEndpoints(endpoint("ep-1", "blue", "h1", "02:00:00:00:01:01", "100.64.1.1"))
                .addEndpoints(endpoint("ep-2", "blue", "h2", "02:00:00:00:02:01", "100.64.1.2"))
                .addEndpoints(endpoint("ep-3", "blue", "h3", "02:00:00:00:03:01", "100.64.1.3"))
                .addEndpoints(endpoint("ep-4", "red", "h2", "02:00:00:00:02:02", "100.64.2.2"))
                .addLinks(link("h2", "h3", LinkState.State.ESTABLISHED))
                .build();
    }

    public static Delta delta(long revision, Change... changes) {
        Delta.Builder b = Delta.newBuilder().setRevision(revision);
        for (Change c : changes) {
            b.addChanges(c);
        }
        return b.build();
    }
}
