package io.weft.cli.output;

import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.HostUsage;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.LocalConnection;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalDnsListener;
import io.weft.api.v1.LocalNetwork;
import io.weft.api.v1.LocalPeer;
import io.weft.api.v1.LocalRoute;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.NetworkUsage;
import io.weft.api.v1.PeerTarget;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The text of {@code weft status} and its sections, in the layout operators of the original tool
 * know: a summary of "Key: value" lines per service, and one aligned table per section.
 */
public final class StatusText {
    private StatusText() {
    }

    /** The summary: router, ipam (when usage is known) and dns services. */
    public static String summary(LocalStatus s, IpamStatusResponse ipam, String ipamError) {
        Fields f = new Fields().add("Version", s.getVersion()).blank()
                .add("Service", "router")
                .add("Name", s.getHostName() + (s.getPeerId() == 0 ? " (not registered yet)" : " (peer " + s.getPeerId() + ")"))
                .add("Encryption", s.getEncryption().isEmpty() || s.getEncryption().equals("none") ? "disabled" : s.getEncryption())
                .add("Control plane", s.getControlPlaneUrl() + " (" + sync(s) + ")")
                .add("Revision", s.getRevision() + (s.getControlPlaneRevision() > s.getRevision()
                        ? " (" + (s.getControlPlaneRevision() - s.getRevision()) + " behind)" : ""))
                .add("Listen", s.getUnderlayEndpointsCount() == 0 ? "udp port " + s.getPort() : String.join(", ", s.getUnderlayEndpointsList()) + " (udp)")
                .add("MTU", s.getMtu())
                .add("Targets", s.getTargetsCount())
                .add("Connections", s.getConnectionsCount() + connectionCounts(s.getConnectionsList()))
                .add("Peers", s.getPeersCount())
                .add("Networks", s.getNetworksCount());
        if (!s.getNotReadyReason().isEmpty()) {
            f.add("Not ready", s.getNotReadyReason());
        }
        f.blank().add("Service", "ipam");
        if (ipam == null) {
            f.add("Status", "unknown: " + ipamError);
        } else {
            for (NetworkUsage u : ipam.getNetworksList()) {
                f.add("Range", u.getCidr() + " (" + u.getNetwork() + "): " + u.getUsed() + " of " + u.getTotal() + " used, "
                        + percent(u.getUsed(), u.getTotal()) + ", " + u.getFree() + " free");
            }
        }
        f.blank().add("Service", "dns");
        LocalDns d = s.getDns();
        if (!s.hasDns()) {
            f.add("Status", "not reported by this daemon");
        } else {
            f.add("Status", d.getEnabled() ? (d.getError().isEmpty() ? "running" : "degraded: " + d.getError()) : "stopped (weft launch-dns)")
                    .add("Domain", String.join(", ", d.getDomainsList()))
                    .add("Upstream", String.join(", ", d.getUpstreamServersList()))
                    .add("TTL", d.getTtlSeconds())
                    .add("Entries", d.getRecords());
        }
        return f.toString();
    }

    private static String sync(LocalStatus s) {
        if (s.getSynced()) {
            return "connected, synced";
        }
        if (s.getRunningOnPersistedState()) {
            return s.getControlPlaneConnected() ? "connected, syncing; forwarding on saved state" : "unreachable; forwarding on saved state";
        }
        return s.getControlPlaneConnected() ? "connected, syncing" : "unreachable";
    }

    private static String connectionCounts(List<LocalConnection> cs) {
        if (cs.isEmpty()) {
            return "";
        }
        Map<LinkState.State, Integer> by = new EnumMap<>(LinkState.State.class);
        for (LocalConnection c : cs) {
            by.merge(c.getState(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder(" (");
        for (Map.Entry<LinkState.State, Integer> e : by.entrySet()) {
            sb.append(sb.length() > 2 ? ", " : "").append(e.getValue()).append(' ').append(state(e.getKey()));
        }
        return sb.append(')').toString();
    }

    static String state(LinkState.State st) {
        return st == LinkState.State.STATE_UNSPECIFIED ? "unknown" : st.name().toLowerCase();
    }

    private static String percent(long part, long total) {
        return total == 0 ? "0%" : String.format("%.1f%%", 100.0 * part / total);
    }

    /** status peers: every other host of the network and the next hop towards it. */
    public static String peers(LocalStatus s) {
        Table t = new Table().row("NAME", "PEER", "ENDPOINTS", "CONTROL-PLANE", "KEY", "NEXT-HOP");
        for (LocalPeer p : s.getPeersList()) {
            String hop = "";
            for (LocalRoute r : s.getRoutesList()) {
                if (r.getPeerId() == p.getPeerId()) {
                    hop = r.getNextHop().isEmpty() ? "unreachable" : r.getNextHop().equals(p.getName()) ? "direct" : "via " + r.getNextHop();
                }
            }
            t.row(p.getName(), p.getPeerId(), String.join(",", p.getUnderlayEndpointsList()),
                    p.getConnected() ? "connected" : "disconnected", p.getKeyFingerprint(), hop);
        }
        return t.toString();
    }

    /** status connections: "-> endpoint state peer encryption mtu", as the original printed them. */
    public static String connections(LocalStatus s) {
        Table t = new Table();
        for (LocalConnection c : s.getConnectionsList()) {
            t.row("->", c.getEndpoint(), state(c.getState()), c.getPeer() + "(" + c.getPeerId() + ")",
                    c.getEncrypted() ? "encrypted" : "unencrypted", "mtu=" + s.getMtu(),
                    "rtt=" + (c.getRttMicros() == 0 ? "?" : String.format("%.2fms", c.getRttMicros() / 1000.0)),
                    "frames=" + c.getFramesOut() + "/" + c.getFramesIn());
        }
        return t.toString();
    }

    /** status ipam: usage per network and per host. */
    public static String ipam(IpamStatusResponse r) {
        Table t = new Table().row("NETWORK", "RANGE", "HOST", "USED", "OF", "SHARE");
        for (NetworkUsage u : r.getNetworksList()) {
            t.row(u.getNetwork(), u.getCidr(), "(all)", u.getUsed(), u.getTotal(), percent(u.getUsed(), u.getTotal()));
            for (HostUsage h : u.getHostsList()) {
                t.row(u.getNetwork(), u.getCidr(), h.getHost(), h.getUsed(), u.getTotal(), percent(h.getUsed(), u.getTotal()));
            }
        }
        return t.toString();
    }

    /** status dns: the server's settings, then one line per record (name, address, container, host). */
    public static String dns(LocalStatus s, List<DnsRecord> records) {
        StringBuilder sb = new StringBuilder();
        if (s.hasDns()) {
            LocalDns d = s.getDns();
            Table l = new Table();
            for (LocalDnsListener x : d.getListenersList()) {
                l.row("listen", x.getAddress(), x.getNetwork());
            }
            sb.append(l);
        }
        Table t = new Table();
        for (DnsRecord r : records) {
            t.row(r.getName(), r.getIp(), shortId(r.getContainerId()), r.getHost());
        }
        return sb.append(t).toString();
    }

    /** status targets: the peer addresses this host tries. */
    public static String targets(LocalStatus s) {
        Table t = new Table();
        for (PeerTarget p : s.getTargetsList()) {
            t.row(p.getAddress(), p.getHost().isEmpty() ? "(every host)" : p.getHost());
        }
        return t.toString();
    }

    /** status networks (an addition): the bridges of this host. */
    public static String networks(LocalStatus s) {
        Table t = new Table().row("NETWORK", "RANGE", "ISOLATION", "BRIDGE", "MEMBERS", "MACS", "LOCAL");
        for (LocalNetwork n : s.getNetworksList()) {
            t.row(n.getName(), n.getCidr(), n.getIsolationId(), n.getBridge(), n.getMembersCount(), n.getMacEntries(), n.getLocalEndpoints());
        }
        return t.toString();
    }

    /** Docker ids are 64 hex digits; show the first 12 as docker does. */
    public static String shortId(String id) {
        return id.matches("[0-9a-f]{64}") ? id.substring(0, 12) : id;
    }
}
