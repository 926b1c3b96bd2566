package io.weft.cli.commands;

import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.launch.ManagedProcess;
import io.weft.cli.launch.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** weft stop: stops the daemon (containers keep their interfaces) and a local control plane. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop Weft on this host ('weft start' resumes).",
                "Stops the daemon (attached containers keep their interfaces and addresses; traffic between hosts "
                + "pauses) and the control plane 'weft launch' started here, if any."})
public class StopCommand extends DaemonCommand {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "As given to launch (default: $WEFT_STATE_DIR or " + StateDir.DEFAULT + ").")
    String stateDir;

    @Override
    void run(DaemonApi daemon) {
        StateDir dir = StateDir.of(stateDir);
        boolean any = false;
        for (ManagedProcess p : new ManagedProcess[] {dir.dataPlane(), dir.controlPlane()}) {
            if (p.stop()) {
                any = true;
                print("stopped the " + p.what());
            }
        }
        if (!any) {
            if (daemon.reachable()) {
                throw new WeftException("a daemon answers at " + daemon.address() + " but was not launched with state directory " + dir.root()
                        + ": give its --state-dir");
            }
            print("weft is not running (state directory " + dir.root() + ")");
        }
    }
}
