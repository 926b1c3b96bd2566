package io.weft.dataplane.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Opens the host firewall for frames crossing Weft's bridges. Once br_netfilter is loaded
 * (bridge-nf-call-iptables defaults to 1 then), bridged frames pass the iptables FORWARD chain,
 * and Docker sets that chain's policy to DROP: containers on a Weft bridge would reach neither each
 * other nor the TAP that carries their frames to other hosts. One rule for every Weft bridge
 * lets bridged frames through ({@code -i weft-+ -o weft-+ -m physdev --physdev-is-bridged -j ACCEPT},
 * first in FORWARD, for IPv4 and IPv6), as Weave Net did for its bridge; right after it, packets
 * the host would ROUTE from one Weft bridge to another are dropped: once the host has an address in
 * two networks (expose, DNS) and forwards IP (Docker hosts do), it would otherwise carry traffic
 * between networks that must stay isolated. The rules stay when the daemon stops (containers keep
 * talking) and go with {@link HostPlumbing#reset()}. Without the iptables commands there is no
 * iptables filtering to open and nothing is done.
 */
final class BridgeFirewall {
    private static final Logger LOG = Logger.getLogger(BridgeFirewall.class.getName());
    private static final List<String> BRIDGED = List.of("FORWARD", "-i", "weft-+", "-o", "weft-+", "-m", "physdev",
            "--physdev-is-bridged", "-j", "ACCEPT");
    private static final List<String> ROUTED = List.of("FORWARD", "-i", "weft-+", "-o", "weft-+", "-j", "DROP");
    private static final List<String> TOOLS = List.of("iptables", "ip6tables");
    private static volatile boolean allowed;

    private BridgeFirewall() {
    }

    /** Adds the rule where it is missing; once per process (the bridges come and go, the rule stays). */
    static synchronized void allow() {
        if (allowed) {
            return;
        }
        for (String tool : TOOLS) {
            if (!installed(tool) || (Cmd.run(command(tool, "-C", BRIDGED)).ok() && Cmd.run(command(tool, "-C", ROUTED)).ok())) {
                continue;
            }
            removeFrom(tool);
            // Inserted at the top in reverse order, so the bridged ACCEPT ends up above the routed DROP.
            Cmd.Result drop = Cmd.run(command(tool, "-I", ROUTED));
            Cmd.Result accept = Cmd.run(command(tool, "-I", BRIDGED));
            if (!accept.ok()) {
                Cmd.run(command(tool, "-D", ROUTED)); // never drop without the bridged exception above it
                LOG.warning("cannot add '" + String.join(" ", command(tool, "-I", BRIDGED)) + "': " + accept.err().trim()
                        + " — containers may not reach each other if the FORWARD policy drops bridged frames;"
                        + " the daemon needs CAP_NET_ADMIN and the xt_physdev module");
            } else if (!drop.ok()) {
                LOG.warning("cannot add '" + String.join(" ", command(tool, "-I", ROUTED)) + "': " + drop.err().trim()
                        + " — with IP forwarding on, this host could route between Weft networks");
            }
        }
        allowed = true;
    }

    /** Removes the rule (every copy of it, as a crashed older daemon may have added one more). */
    static synchronized void remove() {
        for (String tool : TOOLS) {
            if (installed(tool)) {
                removeFrom(tool);
            }
        }
        allowed = false;
    }

    private static void removeFrom(String tool) {
        for (List<String> rule : List.of(BRIDGED, ROUTED, LEGACY)) {
            for (int i = 0; i < 8 && Cmd.run(command(tool, "-D", rule)).ok(); i++) {
                // deleted one copy
            }
        }
    }

    /** The single rule earlier builds added (it also let routed packets between networks through). */
    private static final List<String> LEGACY = List.of("FORWARD", "-i", "weft-+", "-o", "weft-+", "-j", "ACCEPT");

    private static List<String> command(String tool, String op, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of(tool, "-w", "5", op));
        argv.addAll(rule);
        return argv;
    }

    private static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
