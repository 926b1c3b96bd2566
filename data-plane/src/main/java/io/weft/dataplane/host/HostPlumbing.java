package io.weft.dataplane.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Linux plumbing through {@code ip} (iproute2): a bridge per network with the daemon's TAP on it,
 * veth pairs into containers, host addresses on bridges (expose), and clean-up of exactly the
 * interfaces named by {@link IfNames}. Every step is a command with a timeout; a failure says
 * which command failed, what it printed and what to do.
 */
public final class HostPlumbing {
    private static final Logger LOG = Logger.getLogger(HostPlumbing.class.getName());

    private final int mtu;

    public HostPlumbing(int mtu) {
        this.mtu = mtu;
    }

    public int mtu() {
        return mtu;
    }

    // ------------------------------------------------------------------ queries

    /** Names of all interfaces in the daemon's network namespace. */
    public static List<String> links() {
        return parseLinkNames(Cmd.check(List.of("ip", "-o", "link", "show")));
    }

    static List<String> parseLinkNames(String ipOLinkShow) {
        List<String> names = new ArrayList<>();
        for (String line : ipOLinkShow.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            String name = f[1];
            if (name.endsWith(":")) {
                name = name.substring(0, name.length() - 1);
            }
            int at = name.indexOf('@');
            if (at > 0) {
                name = name.substring(0, at);
            }
            names.add(name);
        }
        return names;
    }

    public static boolean exists(String ifName) {
        return Files.exists(Path.of("/sys/class/net", ifName));
    }

    /** Administratively up (IFF_UP in /sys/class/net/NAME/flags). */
    public static boolean isUp(String ifName) {
        try {
            String flags = Files.readString(Path.of("/sys/class/net", ifName, "flags")).trim();
            return (Long.decode(flags) & 1) != 0;
        } catch (Exception e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ bridges

    /** Creates the network's bridge if missing, sets its MTU and brings it up. Returns its name. */
    public String ensureBridge(int isolationId) {
        String br = IfNames.bridge(isolationId);
        if (!exists(br)) {
            Cmd.check(List.of("ip", "link", "add", "name", br, "type", "bridge"));
        }
        Cmd.check(List.of("ip", "link", "set", "dev", br, "mtu", Integer.toString(mtu), "up"));
        limitGso(br); // TCP of the host itself on this network (expose)
        BridgeFirewall.allow(); // Docker hosts drop bridged frames in FORWARD otherwise
        return br;
    }

    /** Puts the TAP on its bridge, with the overlay MTU, and brings it up. */
    public void plugTap(String tap, String bridge) {
        Cmd.check(List.of("ip", "link", "set", "dev", tap, "mtu", Integer.toString(mtu), "master", bridge, "up"));
    }

    public void addBridgeAddress(int isolationId, String ip, int prefix) {
        String br = ensureBridge(isolationId);
        Cmd.Result r = Cmd.run(List.of("ip", "addr", "add", ip + "/" + prefix, "dev", br));
        if (!r.ok() && !r.err().contains("File exists")) {
            Cmd.check(List.of("ip", "addr", "add", ip + "/" + prefix, "dev", br));
        }
    }

    public void removeBridgeAddress(int isolationId, String ip, int prefix) {
        String br = IfNames.bridge(isolationId);
        if (exists(br)) {
            Cmd.run(List.of("ip", "addr", "del", ip + "/" + prefix, "dev", br));
        }
    }

    // ------------------------------------------------------------------ containers

    /**
     * Plumbs a container: a veth pair whose host end goes on the network's bridge and whose other
     * end becomes {@code ifName} (or the first free ethwe, ethwe1, ...) in the target's namespace,
     * with the endpoint's MAC, address and the overlay MTU. Re-attaching replaces the old pair.
     *
     * @return the interface name inside the container
     */
    public String attach(Target target, String containerId, String network, int isolationId, String ifName,
                         String mac, String ip, int prefix) {
        String bridge = ensureBridge(isolationId);
        String host = IfNames.vethHost(containerId, network);
        String guest = IfNames.vethGuest(containerId, network);
        if (exists(host)) {
            Cmd.run(List.of("ip", "link", "del", "dev", host));
        }
        if (exists(guest)) {
            Cmd.run(List.of("ip", "link", "del", "dev", guest));
        }
        String m = Integer.toString(mtu);
        Cmd.check(List.of("ip", "link", "add", "name", host, "mtu", m, "type", "veth", "peer", "name", guest, "mtu", m));
        try {
            limitGso(guest);
            Cmd.check(List.of("ip", "link", "set", "dev", guest, "netns", target.netnsArg()));
            String name = ifName == null || ifName.isEmpty() ? freeContainerIf(target) : ifName;
            Cmd.check(target.ip("link", "set", "dev", guest, "name", name, "address", mac, "mtu", m));
            Cmd.check(target.ip("addr", "add", ip + "/" + prefix, "dev", name));
            Cmd.check(target.ip("link", "set", "dev", name, "up"));
            Cmd.run(target.ip("link", "set", "dev", "lo", "up"));
            Cmd.check(List.of("ip", "link", "set", "dev", host, "master", bridge, "up"));
            return name;
        } catch (RuntimeException e) {
            Cmd.run(List.of("ip", "link", "del", "dev", host)); // takes the container end with it
            throw e;
        }
    }

    /**
     * Caps the TSO super-frames TCP builds for {@code dev} (the container's end of a veth: what it
     * sends) at {@link Mtu#gsoMaxSegments} segments, so each becomes one UDP GSO send. Best effort:
     * an old iproute2 or kernel without the knob only costs throughput.
     */
    private void limitGso(String dev) {
        Cmd.run(List.of("ip", "link", "set", "dev", dev, "gso_max_segs", Integer.toString(Mtu.gsoMaxSegments(mtu))));
    }

    private static String freeContainerIf(Target target) {
        List<String> inside = parseLinkNames(Cmd.check(target.ip("-o", "link", "show")));
        String name = IfNames.CONTAINER_IF;
        for (int i = 1; inside.contains(name); i++) {
            name = IfNames.CONTAINER_IF + i;
        }
        return name;
    }

    /** Removes a container's veth pair by its host end (no error when it is already gone). */
    public boolean detach(String hostIf) {
        if (!IfNames.isOurs(hostIf) || !exists(hostIf)) {
            return false;
        }
        Cmd.run(List.of("ip", "link", "del", "dev", hostIf));
        return true;
    }

    public boolean deleteBridge(int isolationId) {
        String br = IfNames.bridge(isolationId);
        if (!exists(br)) {
            return false;
        }
        Cmd.run(List.of("ip", "link", "del", "dev", br));
        return true;
    }

    // ------------------------------------------------------------------ clean-up

    /**
     * Removes Weft's interfaces that are not in {@code keep}. TAPs are left alone: they belong to a
     * running process and vanish with it. Returns what was removed.
     */
    public List<String> reconcile(Set<String> keep) {
        List<String> removed = new ArrayList<>();
        for (String name : links()) {
            if (!IfNames.isOurs(name) || keep.contains(name) || IfNames.isTap(name) || !exists(name)) {
                continue;
            }
            Cmd.Result r = Cmd.run(List.of("ip", "link", "del", "dev", name));
            if (r.ok()) {
                removed.add(name);
            } else {
                LOG.warning("could not remove stale interface " + name + ": " + r.err().trim());
            }
        }
        return removed;
    }

    /** Removes every interface of Weft's (the caller closes its TAPs first). */
    public List<String> reset() {
        BridgeFirewall.remove();
        return reconcile(Set.of());
    }
}
