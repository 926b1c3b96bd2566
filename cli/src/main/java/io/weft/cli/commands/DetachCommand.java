package io.weft.cli.commands;

import io.weft.api.v1.Endpoint;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalDetachResponse;
import io.weft.cli.addr.Placement;
import io.weft.cli.daemon.DaemonApi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** weft detach [net:NAME | net:CIDR | ADDR ...] TARGET: prints the addresses released. */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = {"Detach a container from the network; prints the released addresses.",
                "From the networks named, or all of its networks when none: its interfaces go, its addresses are released."})
public class DetachCommand extends DaemonCommand {
    @Parameters(arity = "1..*", paramLabel = "[ADDR...] TARGET", description = "net:NAME, net:CIDR or ADDR; then the target.")
    List<String> args;

    @Override
    void run(DaemonApi daemon) {
        String target = args.get(args.size() - 1);
        List<String> addrs = args.subList(0, args.size() - 1);
        List<LocalDetachResponse> done = new ArrayList<>();
        if (addrs.isEmpty()) {
            done.add(daemon.call(s -> s.detach(LocalDetachRequest.newBuilder().setTarget(target).build())));
        } else {
            for (Placement p : Placement.resolve(daemon, addrs)) {
                done.add(daemon.call(s -> s.detach(LocalDetachRequest.newBuilder().setTarget(target).setNetwork(p.network()).build())));
            }
        }
        if (json) {
            print(Jsons.list(done));
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (LocalDetachResponse r : done) {
            for (Endpoint e : r.getDetachedList()) {
                sb.append(e.getIp()).append('\n');
            }
        }
        if (sb.length() > 0) {
            print(sb.toString());
        }
    }
}
