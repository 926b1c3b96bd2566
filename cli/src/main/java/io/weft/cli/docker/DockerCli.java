package io.weft.cli.docker;

import io.weft.cli.Exec;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code docker} command, for {@code weft run}: its arguments are docker run's, so the docker
 * CLI itself interprets them (every option docker has, no re-implementation). Resolving containers
 * for attach/detach happens in the daemon, through the Engine API.
 */
public final class DockerCli {
    private DockerCli() {
    }

    /** Runs docker with args; its stdout, trimmed. Failures carry docker's own message. */
    public static String run(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add("docker");
        argv.addAll(args);
        return Exec.run(argv, "install Docker, or use 'weft run --netns NAME' without it");
    }
}
