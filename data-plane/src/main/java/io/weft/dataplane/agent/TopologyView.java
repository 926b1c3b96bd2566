package io.weft.dataplane.agent;

import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Host;
import io.weft.api.v1.Network;
import io.weft.api.v1.Snapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Indexes over one immutable topology snapshot, from the point of view of one host: peers by name
 * and id, networks by name, which hosts have endpoints in which network. Built per change (not on
 * the packet path).
 */
public final class TopologyView {
    public static final int DEFAULT_PORT = 6783;

    private final Snapshot snapshot;
    private final String self;
    private final Map<String, Host> hostsByName = new HashMap<>();
    private final Map<Integer, Host> hostsById = new HashMap<>();
    private final Map<String, Network> networksByName = new HashMap<>();
    private final Map<String, List<Endpoint>> endpointsByNetwork = new HashMap<>();
    private final Map<String, Endpoint> endpointsById = new HashMap<>();

    public TopologyView(Snapshot snapshot, String selfHost) {
        this.snapshot = snapshot;
        this.self = selfHost;
        for (Host h : snapshot.getHostsList()) {
            hostsByName.put(h.getName(), h);
            if (h.getPeerId() != 0) {
                hostsById.put(h.getPeerId(), h);
            }
        }
        for (Network n : snapshot.getNetworksList()) {
            networksByName.put(n.getName(), n);
        }
        for (Endpoint e : snapshot.getEndpointsList()) {
            endpointsByNetwork.computeIfAbsent(e.getNetwork(), k -> new ArrayList<>()).add(e);
            endpointsById.put(e.getId(), e);
        }
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public long revision() {
        return snapshot.getRevision();
    }

    public String self() {
        return self;
    }

    public Host host(String name) {
        return hostsByName.get(name);
    }

    public Host hostById(int peerId) {
        return hostsById.get(peerId);
    }

    public String hostName(int peerId) {
        Host h = hostsById.get(peerId);
        return h == null ? "peer-" + Integer.toUnsignedString(peerId) : h.getName();
    }

    public int peerId(String hostName) {
        Host h = hostsByName.get(hostName);
        return h == null ? 0 : h.getPeerId();
    }

    public Network network(String name) {
        return networksByName.get(name);
    }

    public Network networkByIsolationId(int isolationId) {
        for (Network n : snapshot.getNetworksList()) {
            if (n.getIsolationId() == isolationId) {
                return n;
            }
        }
        return null;
    }

    public Endpoint endpoint(String id) {
        return endpointsById.get(id);
    }

    public List<Endpoint> endpoints(String network) {
        return endpointsByNetwork.getOrDefault(network, List.of());
    }

    /** Other hosts with a peer id and a usable underlay endpoint: peer id -> first endpoint. */
    public Map<Integer, InetSocketAddress> peerEndpoints() {
        Map<Integer, InetSocketAddress> out = new HashMap<>();
        for (Host h : snapshot.getHostsList()) {
            if (h.getName().equals(self) || h.getPeerId() == 0) {
                continue;
            }
            for (String e : h.getUnderlayEndpointsList()) {
                InetSocketAddress a = parseEndpoint(e);
                if (a != null) {
                    out.put(h.getPeerId(), a);
                    break;
                }
            }
        }
        return out;
    }

    /** Peer ids of the other hosts with endpoints in {@code network}, ascending. */
    public int[] members(String network) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Endpoint e : endpoints(network)) {
            if (!e.getHost().equals(self)) {
                int id = peerId(e.getHost());
                if (id != 0) {
                    ids.add(id);
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** MAC (as a 48-bit long) -> owning peer id, for endpoints of {@code network} on other hosts. */
    public Map<Long, Integer> remoteMacs(String network) {
        Map<Long, Integer> out = new HashMap<>();
        for (Endpoint e : endpoints(network)) {
            if (e.getHost().equals(self)) {
                continue;
            }
            int id = peerId(e.getHost());
            long mac = parseMac(e.getMac());
            if (id != 0 && mac >= 0) {
                out.put(mac, id);
            }
        }
        return out;
    }

    /** "ip:port" or "ip" (default port) to an address; null when malformed. No DNS lookups. */
    public static InetSocketAddress parseEndpoint(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String host = s;
        int port = DEFAULT_PORT;
        int colon = s.lastIndexOf(':');
        if (colon > 0 && s.indexOf(':') == colon) {
            host = s.substring(0, colon);
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        byte[] ip = parseIpv4(host);
        if (ip == null || port <= 0 || port > 65535) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static byte[] parseIpv4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            try {
                int v = Integer.parseInt(p[i]);
                if (v < 0 || v > 255 || p[i].isEmpty()) {
                    return null;
                }
                b[i] = (byte) v;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return b;
    }

    /** "02:42:64:60:00:05" to a 48-bit value (first byte most significant); -1 when malformed. */
    public static long parseMac(String s) {
        if (s == null) {
            return -1;
        }
        String[] p = s.split(":", -1);
        if (p.length != 6) {
            return -1;
        }
        long v = 0;
        for (String x : p) {
            if (x.length() != 2) {
                return -1;
            }
            try {
                v = (v << 8) | Integer.parseInt(x, 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return v;
    }
}
