package io.weft.cli.commands;

import io.weft.cli.WeftException;
import io.weft.cli.launch.StateDir;
import picocli.CommandLine.Option;

/** Options of the verbs that start or stop this host's services (picocli mixin). */
final class ServiceOptions {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "State, logs and pid files, as given to launch (default: $WEFT_STATE_DIR or "
            + StateDir.DEFAULT + ").")
    String stateDir;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long to wait for the services to be ready (default ${DEFAULT-VALUE}).")
    int waitSeconds = 120;

    StateDir dir() {
        return StateDir.of(stateDir);
    }

    /** The state directory, refused when a daemon launched with it still runs. */
    StateDir notRunning() {
        StateDir dir = dir();
        dir.dataPlane().running().ifPresent(p -> {
            throw new WeftException("weft is already running here (pid " + p.pid() + ", state " + dir.root()
                    + "): 'weft stop' first, or 'weft status'");
        });
        return dir;
    }
}
