package io.weft.dataplane.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The nameservers of a resolv.conf, in order (what the host itself resolves with). */
public final class ResolvConf {
    private ResolvConf() {
    }

    /**
     * "nameserver ADDR" lines (IPv4 or IPv6, an IPv6 zone is dropped), port 53. Other lines and
     * lines that do not parse as an address are ignored, as the C library does.
     */
    public static List<InetSocketAddress> nameservers(String content) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("[ \t]+");
            if (f.length < 2 || !f[0].equals("nameserver")) {
                continue;
            }
            String addr = f[1];
            int zone = addr.indexOf('%');
            if (zone > 0) {
                addr = addr.substring(0, zone);
            }
            if (!addr.matches("[0-9a-fA-F.:]+")) {
                continue; // never a host name: resolving it would need DNS
            }
            try {
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(addr), 53);
                if (!out.contains(a)) {
                    out.add(a);
                }
            } catch (UnknownHostException e) {
                // malformed address: skip the line
            }
        }
        return out;
    }
}
