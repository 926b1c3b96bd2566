package io.weft.cli.commands;

import io.weft.cli.WeftException;
import io.weft.cli.output.Table;
import io.weft.cli.setup.HostCheck;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** weft setup: what this host needs, and how to fix what is missing. Exit 1 when something is. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Check what this host needs to run Weft, and how to fix what is missing.",
                "Root, /dev/net/tun, iproute2, nsenter, bridges, free ports 6783/udp and 6784/tcp. Exit status 1 when "
                + "something is missing."})
public class SetupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<HostCheck.Result> results = HostCheck.all();
        Table t = new Table();
        int failed = 0;
        for (HostCheck.Result r : results) {
            t.row(r.name(), r.ok() ? "ok" : r.required() ? "MISSING" : "note", r.detail());
            if (!r.ok() && r.required()) {
                failed++;
            }
        }
        spec.commandLine().getOut().print(t);
        spec.commandLine().getOut().flush();
        if (failed > 0) {
            throw new WeftException(failed + " requirement" + (failed == 1 ? " is" : "s are") + " missing: fix what the lines above say");
        }
        return 0;
    }
}
