package io.weft.cli.commands;

import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveDnsRecordsResponse;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weft dns-remove [IP...] [CONTAINER] [-h FQDN]. */
@Command(name = "dns-remove", mixinStandardHelpOptions = false,
        description = {"Remove DNS records; prints how many went.",
                "Those of NAME (only the IPs given, if any), or every record of CONTAINER."})
public class DnsRemoveCommand extends DaemonCommand {
    @Parameters(arity = "0..*", paramLabel = "[IP...] [CONTAINER]", description = "Addresses, optionally followed by a container id.")
    List<String> args = List.of();

    @Option(names = {"-h", "--name"}, paramLabel = "FQDN", description = "The name.")
    String name = "";

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    void run(DaemonApi daemon) {
        DnsArgs a = DnsArgs.split(args);
        if (name.isEmpty() && a.container().isEmpty()) {
            throw new WeftException(WeftException.USAGE, "give -h NAME, or a CONTAINER whose records to remove");
        }
        RemoveDnsRecordsResponse r = daemon.call(s -> s.dnsRemove(RemoveDnsRecordsRequest.newBuilder().setName(name).addAllIps(a.ips())
                .setContainerId(a.container()).build()));
        print(json ? Json.of(r) : "removed " + r.getRemoved() + " record" + (r.getRemoved() == 1 ? "" : "s"));
    }
}
