package io.weft.cli.commands;

import io.weft.api.v1.LocalResetRequest;
import io.weft.api.v1.LocalResetResponse;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.launch.Services;
import io.weft.cli.launch.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * weft reset: leave the network (release this host's addresses and names at the control plane),
 * remove every interface Weft made here, stop the services and forget the saved topology and
 * launch settings.
 */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Leave the network and remove everything Weft made on this host.",
                "Releases this host's addresses and names, removes every interface Weft created here, stops Weft and "
                + "forgets its saved topology and launch settings (a stopped Weft is started for this)."})
public class ResetCommand extends DaemonCommand {
    @Option(names = "--force", description = "Go on when the control plane cannot be reached (addresses stay allocated there).")
    boolean force;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "As given to launch (default: $WEFT_STATE_DIR or " + StateDir.DEFAULT + ").")
    String stateDir;

    @Override
    void run(DaemonApi daemon) {
        StateDir dir = StateDir.of(stateDir);
        if (!daemon.reachable() && Files.exists(dir.settings())) {
            // Stopped: only the daemon knows its interfaces and endpoints, so bring it back to reset.
            Services.startLaunched(dir, daemon, 120);
        }
        LocalResetResponse r;
        try {
            r = daemon.call(s -> s.reset(LocalResetRequest.newBuilder().setLeave(true).build()));
        } catch (WeftException e) {
            if (!force || e.exitCode() == WeftException.NO_DAEMON) {
                throw e.exitCode() == WeftException.NO_DAEMON
                        ? new WeftException(e.exitCode(), e.getMessage().replace("start it with", "reset needs it to find its interfaces; start it with"))
                        : new WeftException(e.getMessage() + " (--force resets this host anyway)");
            }
            r = daemon.call(s -> s.reset(LocalResetRequest.newBuilder().setLeave(false).build()));
        }
        dir.dataPlane().stop();
        dir.controlPlane().stop();
        // Leaving the network forgets its password too (the daemon kept only its derived key there).
        for (Path p : new Path[] {dir.root().resolve("state.pb"), dir.root().resolve("password.key"), dir.settings()}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new WeftException("cannot remove " + p + ": " + e.getMessage());
            }
        }
        print("released " + r.getReleasedEndpoints() + " address" + (r.getReleasedEndpoints() == 1 ? "" : "es") + ", removed "
                + r.getRemovedInterfacesCount() + " interface" + (r.getRemovedInterfacesCount() == 1 ? "" : "s"));
    }
}
