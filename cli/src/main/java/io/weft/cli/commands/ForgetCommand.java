package io.weft.cli.commands;

import io.weft.api.v1.LocalForgetRequest;
import io.weft.api.v1.LocalForgetResponse;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** weft forget ADDR...: removes peer targets; prints how many went. */
@Command(name = "forget", mixinStandardHelpOptions = true, description = "Remove peer targets added with connect.")
public class ForgetCommand extends DaemonCommand {
    @Parameters(arity = "1..*", paramLabel = "ADDR", description = "Addresses as given to connect.")
    List<String> addrs;

    @Override
    void run(DaemonApi daemon) {
        LocalForgetResponse r = daemon.call(s -> s.forget(LocalForgetRequest.newBuilder().addAllAddresses(addrs).build()));
        print(json ? Json.of(r) : "forgot " + r.getRemoved() + " target" + (r.getRemoved() == 1 ? "" : "s"));
    }
}
