package io.weft.dataplane.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Who may ask this server, and which upstream servers are really someone else. */
final class AccessPolicy {
    private AccessPolicy() {
    }

    /**
     * The host itself (loopback, our own listen addresses) and addresses in Weft's networks.
     * Everyone else is dropped, so the server is never an open resolver even when a listen
     * address is routable from outside.
     */
    static boolean allowed(InetAddress client, Collection<InetAddress> listening, DnsZone zone) {
        if (client.isLoopbackAddress() || listening.contains(client)) {
            return true;
        }
        return client instanceof Inet4Address && zone.isWeftAddress(Ipv4Prefix.toInt(client.getAddress()));
    }

    /** resolv.conf's servers minus ourselves: forwarding to ourselves would loop until the timeout. */
    static List<InetSocketAddress> upstreamWithoutSelf(List<InetSocketAddress> configured, Collection<InetAddress> listening, int port) {
        List<InetSocketAddress> use = new ArrayList<>();
        for (InetSocketAddress a : configured) {
            if (!(a.getPort() == port && listening.contains(a.getAddress()))) {
                use.add(a);
            }
        }
        return use;
    }
}
