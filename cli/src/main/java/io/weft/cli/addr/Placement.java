package io.weft.cli.addr;

import io.weft.api.v1.ListNetworksRequest;
import io.weft.api.v1.Network;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import java.util.ArrayList;
import java.util.List;

/**
 * Address arguments resolved to what the local API takes: a network name ("" = default) and an
 * address to claim ("" = allocate). The control plane's network list is fetched only when an
 * argument names a range or an address.
 */
public record Placement(String network, String ip) {
    public static List<Placement> resolve(DaemonApi daemon, List<String> args) {
        List<AddressSpec> specs = new ArrayList<>();
        for (String a : args) {
            try {
                specs.add(AddressSpec.parse(a));
            } catch (IllegalArgumentException e) {
                throw new WeftException(WeftException.USAGE, e.getMessage());
            }
        }
        if (specs.isEmpty()) {
            specs.add(AddressSpec.DEFAULT);
        }
        List<Network> networks = List.of();
        if (specs.stream().anyMatch(AddressSpec::needsNetworks)) {
            networks = daemon.call(s -> s.listNetworks(ListNetworksRequest.getDefaultInstance())).getNetworksList();
        }
        List<Placement> out = new ArrayList<>();
        for (AddressSpec s : specs) {
            try {
                out.add(new Placement(s.networkName(networks), s.ip()));
            } catch (IllegalArgumentException e) {
                throw new WeftException(e.getMessage());
            }
        }
        return out;
    }
}
