package io.weft.cli.commands;

import io.weft.api.v1.LocalAttachRequest;
import io.weft.api.v1.LocalAttachResponse;
import io.weft.cli.addr.Placement;
import io.weft.cli.daemon.DaemonApi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weft attach [ADDR/CIDR | net:CIDR | net:NAME ...] TARGET: prints the address(es) given. */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Attach a container to the network; prints its addresses.",
                "Gives it an 'ethwe' interface with an address in each network named (default network when none). "
                + "TARGET: Docker container id or name, pid:N, or netns:NAME."})
public class AttachCommand extends DaemonCommand {
    @Parameters(arity = "1..*", paramLabel = "[ADDR...] TARGET",
            description = "ADDR: IP or IP/PREFIX to claim, net:CIDR or net:NAME to allocate in; then the target.")
    List<String> args;

    @Option(names = "--name", paramLabel = "FQDN", description = "DNS name for the container (repeatable; one label gets the network's domain).")
    List<String> names = new ArrayList<>();

    @Option(names = "--without-dns", description = "Register no DNS name (Docker containers get their name otherwise).")
    boolean withoutDns;

    @Override
    void run(DaemonApi daemon) {
        String target = args.get(args.size() - 1);
        List<LocalAttachResponse> done = attach(daemon, target, args.subList(0, args.size() - 1), names, withoutDns);
        if (json) {
            print(Jsons.list(done));
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (LocalAttachResponse r : done) {
            sb.append(r.getEndpoint().getIp()).append('\n');
        }
        print(sb.toString());
    }

    /** Attaches TARGET once per placement; shared with run. */
    static List<LocalAttachResponse> attach(DaemonApi daemon, String target, List<String> addrs, List<String> names, boolean withoutDns) {
        List<LocalAttachResponse> done = new ArrayList<>();
        for (Placement p : Placement.resolve(daemon, addrs)) {
            LocalAttachRequest req = LocalAttachRequest.newBuilder().setTarget(target).setNetwork(p.network()).setIp(p.ip())
                    .addAllDnsNames(withoutDns ? List.of() : names).setWithoutDns(withoutDns).build();
            done.add(daemon.call(s -> s.attach(req)));
        }
        return done;
    }
}
