package io.weft.cli.commands;

import io.weft.api.v1.LocalConnectRequest;
import io.weft.api.v1.LocalConnectResponse;
import io.weft.api.v1.PeerTarget;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weft connect [--replace] ADDR...: adds peer targets; prints this host's targets. */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Add underlay addresses (IP or IP:PORT) this host should try to reach peers at. Prints its targets.")
public class ConnectCommand extends DaemonCommand {
    @Parameters(arity = "0..*", paramLabel = "ADDR", description = "IP or IP:PORT (port 6783 when omitted).")
    List<String> addrs = List.of();

    @Option(names = "--replace", description = "Replace this host's targets with these (none: remove all).")
    boolean replace;

    @Override
    void run(DaemonApi daemon) {
        if (addrs.isEmpty() && !replace) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give at least one ADDR (or --replace to clear)");
        }
        LocalConnectResponse r = daemon.call(s -> s.connect(LocalConnectRequest.newBuilder().addAllAddresses(addrs).setReplace(replace).build()));
        if (json) {
            print(Json.of(r));
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (PeerTarget t : r.getTargetsList()) {
            sb.append(t.getAddress()).append('\n');
        }
        if (sb.length() > 0) {
            print(sb.toString());
        }
    }
}
