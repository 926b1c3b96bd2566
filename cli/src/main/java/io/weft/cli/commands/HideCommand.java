package io.weft.cli.commands;

import io.weft.api.v1.Endpoint;
import io.weft.api.v1.LocalHideRequest;
import io.weft.api.v1.LocalHideResponse;
import io.weft.cli.addr.Placement;
import io.weft.cli.daemon.DaemonApi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** weft hide [ADDR...]: takes the host's exposed addresses back; prints those released. */
@Command(name = "hide", mixinStandardHelpOptions = true,
        description = "Take back addresses this host was exposed with (all of them when none is named). Prints them.")
public class HideCommand extends DaemonCommand {
    @Parameters(arity = "0..*", paramLabel = "ADDR", description = "IP, net:CIDR or net:NAME.")
    List<String> addrs = new ArrayList<>();

    @Override
    void run(DaemonApi daemon) {
        List<LocalHideResponse> done = new ArrayList<>();
        if (addrs.isEmpty()) {
            done.add(daemon.call(s -> s.hide(LocalHideRequest.getDefaultInstance())));
        } else {
            for (Placement p : Placement.resolve(daemon, addrs)) {
                done.add(daemon.call(s -> s.hide(LocalHideRequest.newBuilder().setNetwork(p.network()).setIp(p.ip()).build())));
            }
        }
        if (json) {
            print(Jsons.list(done));
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (LocalHideResponse r : done) {
            for (Endpoint e : r.getHiddenList()) {
                sb.append(e.getIp()).append('/').append(e.getPrefixLength()).append('\n');
            }
        }
        if (sb.length() > 0) {
            print(sb.toString());
        }
    }
}
