package io.weft.cli.commands;

import io.weft.cli.WeftException;
import io.weft.cli.addr.Ipv4;
import java.util.ArrayList;
import java.util.List;

/** The positional arguments of dns-add / dns-remove: addresses, then optionally a container. */
record DnsArgs(List<String> ips, String container) {
    static DnsArgs split(List<String> args) {
        List<String> ips = new ArrayList<>();
        String container = "";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            try {
                Ipv4.parse(a);
                ips.add(a);
            } catch (IllegalArgumentException e) {
                if (i != args.size() - 1) {
                    throw new WeftException(WeftException.USAGE, e.getMessage() + "; only the last argument may be a container");
                }
                container = a;
            }
        }
        return new DnsArgs(ips, container);
    }
}
