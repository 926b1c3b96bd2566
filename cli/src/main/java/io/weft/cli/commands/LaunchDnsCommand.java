package io.weft.cli.commands;

import io.weft.api.v1.LocalLaunchDnsRequest;
import io.weft.api.v1.LocalDns;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import picocli.CommandLine.Command;

/** weft launch-dns: turns this host's DNS server on. */
@Command(name = "launch-dns", mixinStandardHelpOptions = true,
        description = "Turn this host's DNS server on (containers resolve NAME.weave.local); remembered across restarts.")
public class LaunchDnsCommand extends DaemonCommand {
    @Override
    void run(DaemonApi daemon) {
        LocalDns d = daemon.call(s -> s.launchDns(LocalLaunchDnsRequest.getDefaultInstance()));
        print(json ? Json.of(d) : DnsState.describe(d));
    }
}
