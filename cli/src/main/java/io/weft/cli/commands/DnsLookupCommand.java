package io.weft.cli.commands;

import io.weft.api.v1.DnsLookupRequest;
import io.weft.api.v1.DnsLookupResponse;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** weft dns-lookup NAME: one address per line; exit 1 when the name has none. */
@Command(name = "dns-lookup", mixinStandardHelpOptions = true,
        description = "Resolve a name of the network (one label gets weave.local): one address per line.")
public class DnsLookupCommand extends DaemonCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void run(DaemonApi daemon) {
        DnsLookupResponse r = daemon.call(s -> s.dnsLookup(DnsLookupRequest.newBuilder().setName(name).build()));
        print(json ? Json.of(r) : String.join("\n", r.getIpsList()));
    }
}
