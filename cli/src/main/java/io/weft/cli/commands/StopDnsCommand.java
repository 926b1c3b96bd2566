package io.weft.cli.commands;

import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalStopDnsRequest;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import picocli.CommandLine.Command;

/** weft stop-dns: turns this host's DNS server off. */
@Command(name = "stop-dns", mixinStandardHelpOptions = true,
        description = "Turn this host's DNS server off (launch-dns turns it back on).")
public class StopDnsCommand extends DaemonCommand {
    @Override
    void run(DaemonApi daemon) {
        LocalDns d = daemon.call(s -> s.stopDns(LocalStopDnsRequest.getDefaultInstance()));
        print(json ? Json.of(d) : DnsState.describe(d));
    }
}
