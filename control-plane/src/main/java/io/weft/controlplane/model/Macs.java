package io.weft.controlplane.model;

import java.util.Locale;

import io.weft.controlplane.error.WeftException;

/** MAC addresses: validation and the locally administered MAC derived from an address. */
public final class Macs {
    private Macs() {
    }

    public static String normalize(String mac) {
        String m = mac.toLowerCase(Locale.ROOT);
        if (!m.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw WeftException.invalid("MAC '%s' is malformed; give six colon-separated hex octets such as 0e:00:64:60:00:05", mac);
        }
        int first = Integer.parseInt(m.substring(0, 2), 16);
        if ((first & 1) != 0) {
            throw WeftException.invalid("MAC '%s' is a multicast address; an endpoint needs a unicast MAC", mac);
        }
        return m;
    }

    /** A random locally administered unicast MAC (0e:01 followed by four random octets). */
    public static String random(java.util.Random random) {
        return String.format("0e:01:%02x:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    /**
     * 0e:00 followed by the IPv4 address: locally administered, unicast, and unique because addresses
     * are unique across (non-overlapping) networks; readable in tcpdump too.
     */
    public static String fromIp(long ip) {
        return String.format("0e:00:%02x:%02x:%02x:%02x", (ip >>> 24) & 0xff, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff);
    }
}
