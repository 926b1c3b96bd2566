package io.weft.cli.commands;

import io.weft.api.v1.LocalStatus;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.launch.Services;
import io.weft.cli.launch.StateDir;
import io.weft.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** weft start: starts what launch started, with the same settings and the persisted state. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start Weft again after 'weft stop', with the settings of the last launch and the state it kept.")
public class StartCommand extends DaemonCommand {
    @Mixin
    ServiceOptions service;

    @Override
    void run(DaemonApi daemon) {
        StateDir dir = service.notRunning();
        LocalStatus st = Services.startLaunched(dir, daemon, service.waitSeconds);
        print(json ? Json.of(st) : "started: " + st.getHostName() + " (peer " + st.getPeerId() + "), "
                + (st.getSynced() ? "synced" : "running on saved state, control plane unreachable"));
    }
}
