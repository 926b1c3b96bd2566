package io.weft.cli.launch;

import io.weft.cli.Exec;

/**
 * The address other hosts most likely reach this one at: the first global IPv4 address of a
 * non-Weft interface (as {@code ip -4 -o addr show scope global} lists them), else loopback.
 */
public final class HostAddress {
    private HostAddress() {
    }

    public static String guess() {
        return first(Exec.run(java.util.List.of("ip", "-4", "-o", "addr", "show", "scope", "global"), "install iproute2"));
    }

    /** From {@code ip -o} lines like "2: eth0    inet 198.18.0.11/24 brd ... scope global eth0". */
    static String first(String ipOutput) {
        for (String line : ipOutput.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[2].equals("inet") && !f[1].startsWith("weft")) {
                return f[3].substring(0, f[3].indexOf('/') < 0 ? f[3].length() : f[3].indexOf('/'));
            }
        }
        return "127.0.0.1";
    }
}
