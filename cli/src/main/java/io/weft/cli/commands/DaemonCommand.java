package io.weft.cli.commands;

import io.weft.cli.daemon.DaemonApi;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * A verb that talks to this host's daemon: --json, the API address, and printing. Subclasses
 * implement {@link #run(DaemonApi)}; failures surface as WeftException (see Weft).
 */
abstract class DaemonCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the answer as JSON (protobuf JSON mapping).")
    boolean json;

    @Option(names = "--api", paramLabel = "HOST:PORT", description = "Daemon's local API (default: $WEFT_API or " + DaemonApi.DEFAULT_ADDRESS + ").")
    String api;

    @Override
    public Integer call() {
        try (DaemonApi d = api == null ? DaemonApi.fromEnvironment() : new DaemonApi(api)) {
            run(d);
        }
        return 0;
    }

    abstract void run(DaemonApi daemon);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints text as one or more lines; nothing at all for empty text (an empty table). */
    void print(String text) {
        if (text.isEmpty()) {
            return;
        }
        PrintWriter o = out();
        o.print(text.endsWith("\n") ? text : text + "\n");
        o.flush();
    }
}
