package io.weft.cli.commands;

import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsRecord;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import io.weft.cli.output.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weft dns-add IP... [CONTAINER] -h FQDN. */
@Command(name = "dns-add", mixinStandardHelpOptions = false,
        description = {"Add DNS records NAME -> IP; prints them.",
                "One record per IP given. With CONTAINER (its id as attached) the records belong to it."})
public class DnsAddCommand extends DaemonCommand {
    @Parameters(arity = "1..*", paramLabel = "IP... [CONTAINER]", description = "Addresses, optionally followed by a container id.")
    List<String> args;

    @Option(names = {"-h", "--name"}, required = true, paramLabel = "FQDN", description = "The name (one label gets weave.local).")
    String name;

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    void run(DaemonApi daemon) {
        DnsArgs a = DnsArgs.split(args);
        AddDnsRecordsResponse r = daemon.call(s -> s.dnsAdd(AddDnsRecordsRequest.newBuilder().setName(name).addAllIps(a.ips())
                .setContainerId(a.container()).build()));
        if (json) {
            print(Json.of(r));
            return;
        }
        Table t = new Table();
        for (DnsRecord rec : r.getRecordsList()) {
            t.row(rec.getName(), rec.getIp());
        }
        print(t.toString());
    }
}
