package io.weft.dataplane.daemon;

import io.weft.api.v1.LinkState;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.device.Device;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Drives the {@link Device} from the topology: peers (hosts and their underlay endpoints), network
 * members (hosts with endpoints in each local network), static MAC entries (endpoint MAC -> host)
 * and the link states other hosts reported (for relay routes). Remembers what it applied and
 * applies only differences, so a change costs work proportional to what changed in the device.
 * Called under the daemon's lock.
 */
final class DeviceSync {
    private final Map<Integer, InetSocketAddress> peers = new HashMap<>();
    private final Map<Integer, int[]> members = new HashMap<>();
    private final Map<Integer, Map<Long, Integer>> macs = new HashMap<>();
    private final Set<Long> linksUp = new HashSet<>();

    /** Forget everything applied (a new device). */
    void reset() {
        peers.clear();
        members.clear();
        macs.clear();
        linksUp.clear();
    }

    /** A network (re)added to the device starts empty. */
    void networkAdded(int isolationId) {
        members.remove(isolationId);
        macs.remove(isolationId);
    }

    void networkRemoved(int isolationId) {
        networkAdded(isolationId);
    }

    /**
     * @param localNetworks isolation id -> network name, for the networks with a TAP on this host
     */
    void apply(TopologyView view, Device device, Map<Integer, String> localNetworks) {
        Map<Integer, InetSocketAddress> wantPeers = view.peerEndpoints();
        for (Map.Entry<Integer, InetSocketAddress> e : wantPeers.entrySet()) {
            if (!e.getValue().equals(peers.get(e.getKey()))) {
                device.upsertPeer(e.getKey(), e.getValue());
            }
        }
        for (Integer id : peers.keySet()) {
            if (!wantPeers.containsKey(id)) {
                device.removePeer(id);
            }
        }
        peers.clear();
        peers.putAll(wantPeers);

        for (Map.Entry<Integer, String> n : localNetworks.entrySet()) {
            int iso = n.getKey();
            int[] m = view.members(n.getValue());
            if (!Arrays.equals(m, members.get(iso))) {
                device.setNetworkMembers(iso, m);
                members.put(iso, m);
            }
            Map<Long, Integer> want = view.remoteMacs(n.getValue());
            Map<Long, Integer> have = macs.computeIfAbsent(iso, k -> new HashMap<>());
            for (Map.Entry<Long, Integer> e : want.entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    device.putStaticMac(iso, e.getKey(), e.getValue());
                }
            }
            for (Long mac : have.keySet()) {
                if (!want.containsKey(mac)) {
                    device.removeStaticMac(iso, mac);
                }
            }
            have.clear();
            have.putAll(want);
        }
        members.keySet().retainAll(localNetworks.keySet());
        macs.keySet().retainAll(localNetworks.keySet());

        Set<Long> up = new HashSet<>();
        int self = device.self();
        for (LinkState l : view.snapshot().getLinksList()) {
            int from = view.peerId(l.getFromHost());
            int to = view.peerId(l.getToHost());
            if (from == 0 || to == 0 || from == self || l.getState() != LinkState.State.ESTABLISHED) {
                continue;
            }
            up.add((Integer.toUnsignedLong(from) << 32) | Integer.toUnsignedLong(to));
        }
        for (Long k : up) {
            if (!linksUp.contains(k)) {
                device.reportLink((int) (k >>> 32), k.intValue(), true);
            }
        }
        for (Long k : linksUp) {
            if (!up.contains(k)) {
                device.reportLink((int) (k >>> 32), k.intValue(), false);
            }
        }
        linksUp.clear();
        linksUp.addAll(up);
    }
}
