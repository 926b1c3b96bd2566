package io.weft.cli.addr;

import io.weft.api.v1.Network;
import java.util.List;

/**
 * One address argument of attach/detach/run/expose/hide, as the original tool took them:
 * {@code ADDR} or {@code ADDR/PREFIX} (claim that address), {@code net:CIDR} (allocate in the
 * network with that range), {@code net:NAME} (allocate in that network; {@code net:default} is the
 * default network).
 *
 * @param ip      address to claim, empty to allocate
 * @param network network name, empty when it is given by {@code cidr} or is the default
 * @param cidr    range naming the network (net:CIDR, or the block of ADDR/PREFIX); null if none
 */
public record AddressSpec(String ip, String network, Ipv4.Cidr cidr) {
    /** The default network's spec (no address arguments). */
    public static final AddressSpec DEFAULT = new AddressSpec("", "", null);

    public static AddressSpec parse(String arg) {
        if (arg.startsWith("net:")) {
            String v = arg.substring(4);
            if (v.isEmpty()) {
                throw new IllegalArgumentException("'net:' needs a network name or CIDR (net:default, net:100.64.1.0/24)");
            }
            if (Character.isDigit(v.charAt(0))) {
                return new AddressSpec("", "", Ipv4.Cidr.parse(v));
            }
            return new AddressSpec("", v.equals("default") ? "" : v, null);
        }
        int slash = arg.indexOf('/');
        if (slash >= 0) {
            Ipv4.parse(arg.substring(0, slash));
            return new AddressSpec(arg.substring(0, slash), "", Ipv4.Cidr.parse(arg));
        }
        Ipv4.parse(arg);
        return new AddressSpec(arg, "", null);
    }

    /** Whether resolving this spec needs the list of networks. */
    public boolean needsNetworks() {
        return cidr != null || !ip.isEmpty();
    }

    /**
     * The network name to send: the given name; the network whose range is {@code cidr}; for a bare
     * address the network containing it, else the default ("").
     */
    public String networkName(List<Network> networks) {
        if (!network.isEmpty()) {
            return network;
        }
        if (cidr != null) {
            for (Network n : networks) {
                if (Ipv4.Cidr.parse(n.getCidr()).equals(cidr)) {
                    return n.getName();
                }
            }
            throw new IllegalArgumentException("no network has the range " + cidr + ": create it first, or give net:NAME of one of "
                    + names(networks));
        }
        if (!ip.isEmpty()) {
            long a = Ipv4.parse(ip);
            for (Network n : networks) {
                if (Ipv4.Cidr.parse(n.getCidr()).contains(a)) {
                    return n.getName();
                }
            }
            throw new IllegalArgumentException("no network contains " + ip + ": pick an address in one of " + names(networks));
        }
        return "";
    }

    private static String names(List<Network> networks) {
        StringBuilder sb = new StringBuilder();
        for (Network n : networks) {
            sb.append(sb.length() == 0 ? "" : ", ").append(n.getName()).append(' ').append(n.getCidr());
        }
        return sb.length() == 0 ? "(no networks)" : sb.toString();
    }
}
