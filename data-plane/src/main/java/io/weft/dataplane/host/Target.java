package io.weft.dataplane.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a container's interface goes: a named network namespace ({@code netns:NAME}, i.e.
 * /var/run/netns/NAME) or the network namespace of a process ({@code pid:N}). Docker container ids
 * are resolved to {@code pid:N} by the CLI (issue 6).
 */
public record Target(Kind kind, String value) {
    public enum Kind { NETNS, PID }

    public static Target parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("no target: give netns:NAME or pid:N");
        }
        if (s.startsWith("netns:") && s.length() > 6) {
            String name = s.substring(6);
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("bad namespace name '" + name + "': use letters, digits, '.', '_', '-'");
            }
            return new Target(Kind.NETNS, name);
        }
        if (s.startsWith("pid:") && s.substring(4).matches("[0-9]{1,10}")) {
            return new Target(Kind.PID, s.substring(4));
        }
        throw new IllegalArgumentException("bad target '" + s + "': give netns:NAME or pid:N");
    }

    /** The command prefix that runs {@code ip} inside the target's network namespace. */
    List<String> ip(String... args) {
        List<String> argv = new ArrayList<>();
        if (kind == Kind.NETNS) {
            argv.add("ip");
            argv.add("-n");
            argv.add(value);
        } else {
            argv.add("nsenter");
            argv.add("-t");
            argv.add(value);
            argv.add("-n");
            argv.add("ip");
        }
        argv.addAll(List.of(args));
        return argv;
    }

    /** The argument {@code ip link set DEV netns X} takes. */
    String netnsArg() {
        return value;
    }

    @Override
    public String toString() {
        return (kind == Kind.NETNS ? "netns:" : "pid:") + value;
    }
}
