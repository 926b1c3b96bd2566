package io.weft.cli.launch;

import io.weft.cli.Exec;
import io.weft.cli.addr.Ipv4;
import java.util.List;
import java.util.Optional;

/**
 * Refuses an allocation range that overlaps a route this host already has: containers given such
 * addresses would be unreachable from the host, or hide what the route reaches. The default route
 * and Weft's own bridges (weft-N, present on a relaunch) do not count.
 */
public final class RouteCheck {
    private RouteCheck() {
    }

    /** The first route of {@code ip -4 route show} output that overlaps range, as its line. */
    public static Optional<String> conflict(Ipv4.Cidr range, List<String> routeLines) {
        for (String line : routeLines) {
            String[] f = line.trim().split("\\s+");
            int i = 0;
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            // Route types may come first ("blackhole 100.96.0.0/24", "unreachable ...").
            if (f[0].matches("unicast|local|broadcast|blackhole|unreachable|prohibit|throw|multicast|anycast") && f.length > 1) {
                i = 1;
            }
            String dst = f[i];
            if (dst.equals("default") || ownBridge(f)) {
                continue;
            }
            Ipv4.Cidr c;
            try {
                c = dst.contains("/") ? Ipv4.Cidr.parse(dst) : Ipv4.Cidr.parse(dst + "/32");
            } catch (IllegalArgumentException e) {
                continue; // not an IPv4 destination
            }
            if (c.overlaps(range)) {
                return Optional.of(line.trim());
            }
        }
        return Optional.empty();
    }

    private static boolean ownBridge(String[] f) {
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals("dev") && f[i + 1].startsWith("weft")) {
                return true;
            }
        }
        return false;
    }

    /** This host's IPv4 routes (main table). */
    public static List<String> hostRoutes() {
        return Exec.run(List.of("ip", "-4", "route", "show"), "install iproute2").lines().toList();
    }
}
