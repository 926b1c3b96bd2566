package io.weft.cli.commands;

import io.weft.api.v1.LocalExposeRequest;
import io.weft.api.v1.LocalExposeResponse;
import io.weft.cli.addr.Placement;
import io.weft.cli.daemon.DaemonApi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weft expose [ADDR...] [-h FQDN]: gives the host an address on the network; prints it. */
@Command(name = "expose", mixinStandardHelpOptions = false,
        description = {"Give this host an address on the network; prints it.",
                "In each network named (default network when none), on the network's bridge, so the host reaches "
                + "containers and they reach it."})
public class ExposeCommand extends DaemonCommand {
    @Parameters(arity = "0..*", paramLabel = "ADDR", description = "IP or IP/PREFIX to claim, net:CIDR or net:NAME.")
    List<String> addrs = new ArrayList<>();

    // -h is the original tool's short option for the host name here, so help is --help only.
    @Option(names = {"-h", "--name"}, paramLabel = "FQDN", description = "DNS name for the host's address.")
    List<String> names = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    void run(DaemonApi daemon) {
        List<LocalExposeResponse> done = new ArrayList<>();
        for (Placement p : Placement.resolve(daemon, addrs)) {
            done.add(daemon.call(s -> s.expose(LocalExposeRequest.newBuilder().setNetwork(p.network()).setIp(p.ip())
                    .addAllDnsNames(names).build())));
        }
        if (json) {
            print(Jsons.list(done));
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (LocalExposeResponse r : done) {
            sb.append(r.getEndpoint().getIp()).append('/').append(r.getEndpoint().getPrefixLength()).append('\n');
        }
        print(sb.toString());
    }
}
