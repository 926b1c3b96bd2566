package io.weft.cli.commands;

import io.weft.api.v1.LocalStatus;
import io.weft.cli.WeftException;
import io.weft.cli.addr.Ipv4;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.launch.HostAddress;
import io.weft.cli.launch.LaunchSettings;
import io.weft.cli.launch.RouteCheck;
import io.weft.cli.launch.Services;
import io.weft.cli.launch.StateDir;
import io.weft.cli.output.Fields;
import io.weft.cli.output.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * weft launch: starts this host's data-plane daemon in the background and, without
 * --control-plane, a local control plane (embedded database) first, printing the URL and join
 * token other hosts use.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = {"Start Weft on this host in the background.",
                "The data-plane daemon (logs and state in the state directory) and, without --control-plane, a local "
                + "control plane with an embedded database, whose URL and join token other hosts launch with. 'weft "
                + "stop' / 'weft start' stop and restart what it started."})
public class LaunchCommand extends DaemonCommand {
    static final String DEFAULT_RANGE = "100.96.0.0/12";

    @Option(names = "--control-plane", paramLabel = "URL", description = "Join this control plane (e.g. http://198.18.0.1:6785) instead of starting one.")
    String controlPlane;

    @Option(names = "--join-token", paramLabel = "TOKEN", description = "Its join token (default: $WEFT_JOIN_TOKEN).")
    String joinToken;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Network password mixed into the encryption (default: $WEFT_PASSWORD).")
    String password;

    @Option(names = "--ipalloc-range", paramLabel = "CIDR",
            description = "Range of the default network of a local control plane (default " + DEFAULT_RANGE + "); refused when a route of this host overlaps it.")
    String ipallocRange;

    @Option(names = "--name", paramLabel = "NAME", description = "This host's name in the network (default: the machine's host name).")
    String name;

    @Option(names = "--advertise", paramLabel = "IP[:PORT]", description = "Underlay address(es) to advertise to peers (default: the one routing to the control plane).")
    List<String> advertise;

    @Option(names = "--no-dns", description = "Do not serve DNS on this host ('weft launch-dns' turns it on later).")
    boolean noDns;

    @Mixin
    ServiceOptions service;

    @Override
    void run(DaemonApi daemon) {
        StateDir dir = service.notRunning();
        if (daemon.reachable()) {
            throw new WeftException("a Weft daemon already answers at " + daemon.address() + " (started with another state directory?):"
                    + " stop it first");
        }
        boolean local = controlPlane == null || controlPlane.isBlank();
        if (!local && ipallocRange != null) {
            throw new WeftException(WeftException.USAGE, "--ipalloc-range sets the range of a control plane this command starts; with"
                    + " --control-plane the range is that control plane's (WEFT_DEFAULT_NETWORK_CIDR where it runs)");
        }
        Map<String, String> cpEnv = new LinkedHashMap<>();
        Map<String, String> dpEnv = new LinkedHashMap<>();
        String url = controlPlane;
        String token = joinToken != null ? joinToken : System.getenv("WEFT_JOIN_TOKEN");
        if (local) {
            String range = checkedRange(ipallocRange == null ? DEFAULT_RANGE : ipallocRange);
            cpEnv.put("WEFT_DATA_DIR", dir.controlPlaneData().toString());
            cpEnv.put("WEFT_PORT", Integer.toString(Services.CONTROL_PLANE_PORT));
            cpEnv.put("WEFT_DEFAULT_NETWORK_CIDR", range);
            Services.startControlPlane(dir, cpEnv, service.waitSeconds);
            // Not loopback: the daemon advertises the address it reaches the control plane from.
            url = "http://" + HostAddress.guess() + ":" + Services.CONTROL_PLANE_PORT;
            token = Services.token(dir, "join");
        } else if (token == null || token.isBlank()) {
            throw new WeftException(WeftException.USAGE, "--control-plane needs --join-token (or WEFT_JOIN_TOKEN): the token printed by"
                    + " the 'weft launch' that started that control plane");
        }
        inheritedSettings(dpEnv);
        dpEnv.put("WEFT_CONTROL_PLANE_URL", url);
        dpEnv.put("WEFT_JOIN_TOKEN", token);
        dpEnv.put("WEFT_STATE_DIR", dir.root().toString());
        put(dpEnv, "WEFT_HOST_NAME", name);
        put(dpEnv, "WEFT_PASSWORD", password != null ? password : System.getenv("WEFT_PASSWORD"));
        if (advertise != null && !advertise.isEmpty()) {
            dpEnv.put("WEFT_ADVERTISE", String.join(",", advertise));
        }
        if (noDns) {
            dpEnv.put("WEFT_DNS_ENABLED", "false");
        }
        LaunchSettings settings = new LaunchSettings(dpEnv, local, cpEnv);
        settings.save(dir.settings());
        LocalStatus st = Services.startDataPlane(dir, dpEnv, daemon, service.waitSeconds);
        report(dir, st, local);
    }

    /** The command's own variables, and WEFT_PORT (the control plane's port in scripts/up's sense). */
    private static final java.util.Set<String> NOT_FOR_THE_DAEMON = java.util.Set.of("WEFT_PORT", "WEFT_API", "WEFT_JAVA_OPTS",
            "WEFT_DATA_PLANE_JAR", "WEFT_CONTROL_PLANE_JAR");

    /**
     * Daemon settings given as WEFT_* variables to launch (WEFT_ENCRYPTION, WEFT_HEARTBEAT_INTERVAL,
     * WEFT_DNS_PORT, ...): saved with the options so that 'weft start' runs the daemon the same way.
     */
    private static void inheritedSettings(Map<String, String> env) {
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("WEFT_") && !NOT_FOR_THE_DAEMON.contains(k)) {
                env.put(k, v);
            }
        });
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (value != null && !value.isBlank()) {
            env.put(key, value);
        }
    }

    /** The range, validated and free of this host's routes. */
    static String checkedRange(String range) {
        Ipv4.Cidr c;
        try {
            c = Ipv4.Cidr.parse(range);
        } catch (IllegalArgumentException e) {
            throw new WeftException(WeftException.USAGE, "--ipalloc-range: " + e.getMessage());
        }
        Optional<String> clash = RouteCheck.conflict(c, RouteCheck.hostRoutes());
        if (clash.isPresent()) {
            throw new WeftException("the allocation range " + c + " overlaps this host's route '" + clash.get()
                    + "': pass --ipalloc-range with a range no route uses (e.g. another part of 100.64.0.0/10)");
        }
        return c.toString();
    }

    private void report(StateDir dir, LocalStatus st, boolean local) {
        String publicUrl = "http://" + HostAddress.guess() + ":" + Services.CONTROL_PLANE_PORT;
        long dpPid = dir.dataPlane().running().map(ProcessHandle::pid).orElse(0L);
        long cpPid = local ? dir.controlPlane().running().map(ProcessHandle::pid).orElse(0L) : 0;
        if (json) {
            Map<String, String> m = Json.members();
            m.put("host", Json.string(st.getHostName()));
            m.put("stateDir", Json.string(dir.root().toString()));
            m.put("dataPlanePid", Long.toString(dpPid));
            m.put("dataPlaneLog", Json.string(dir.dataPlane().log().toString()));
            if (local) {
                m.put("controlPlanePid", Long.toString(cpPid));
                m.put("controlPlaneLog", Json.string(dir.controlPlane().log().toString()));
                m.put("controlPlaneUrl", Json.string(publicUrl));
                m.put("joinToken", Json.string(Services.token(dir, "join")));
                m.put("adminToken", Json.string(Services.token(dir, "admin")));
            }
            print(Json.object(m));
            return;
        }
        Fields f = new Fields().add("Host", st.getHostName() + " (peer " + st.getPeerId() + ")")
                .add("Data plane", "pid " + dpPid + ", log " + dir.dataPlane().log())
                .add("State", dir.root());
        if (local) {
            f.add("Control plane", "pid " + cpPid + ", log " + dir.controlPlane().log())
                    .add("URL", publicUrl)
                    .add("Join token", Services.token(dir, "join"))
                    .add("Admin token", Services.token(dir, "admin"));
        } else {
            f.add("Control plane", st.getControlPlaneUrl());
        }
        StringBuilder sb = new StringBuilder(f.toString());
        if (local) {
            sb.append("Other hosts join with:\n  weft launch --control-plane ").append(publicUrl).append(" --join-token ")
                    .append(Services.token(dir, "join")).append('\n');
        }
        print(sb.toString());
    }
}
