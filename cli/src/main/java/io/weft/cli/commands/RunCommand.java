package io.weft.cli.commands;

import io.weft.api.v1.LocalAttachResponse;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalDnsListener;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.cli.Exec;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.docker.DockerCli;
import io.weft.cli.launch.StateDir;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * weft run [ADDR...] -- DOCKER-RUN-ARGS: docker run -d, then attach the container, its resolver
 * pointed at this host's Weft DNS. With --netns NAME: a plain network namespace (made if missing)
 * is attached and COMMAND started in it in the background, for hosts without Docker. A namespace
 * weft makes is a mount in the mount namespace weft runs in: under 'ip netns exec' (a private one)
 * the daemon would not see it, so there the namespace must exist beforehand.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a container attached to the network; prints its id.",
                "'docker run -d DOCKER-RUN-ARGS', then attach it (addresses as for attach) with Weft DNS as its "
                + "resolver. With --netns NAME, COMMAND runs in the background in network namespace NAME instead (no "
                + "Docker)."})
public class RunCommand extends DaemonCommand {
    @Parameters(arity = "1..*", paramLabel = "[ADDR...] -- ARGS",
            description = "Addresses (IP, IP/PREFIX, net:CIDR, net:NAME), then '--' and docker run's arguments (or the COMMAND).")
    List<String> args;

    @Option(names = "--netns", paramLabel = "NAME", description = "Use network namespace NAME instead of Docker.")
    String netns;

    @Option(names = "--name", paramLabel = "FQDN", description = "DNS name (default: the Docker container's name).")
    List<String> names = new ArrayList<>();

    @Option(names = "--with-dns", description = "Use Weft DNS as the container's resolver (the default).")
    boolean withDns;

    @Option(names = "--without-dns", description = "Neither register a name nor set the resolver.")
    boolean withoutDns;

    @Override
    void run(DaemonApi daemon) {
        int dash = spec.commandLine().getParseResult().originalArgs().indexOf("--");
        // picocli drops "--" and puts everything after it into the positional list.
        int after = dash < 0 ? 0 : spec.commandLine().getParseResult().originalArgs().size() - dash - 1;
        List<String> addrs = args.subList(0, args.size() - after);
        List<String> rest = args.subList(args.size() - after, args.size());
        if (rest.isEmpty()) {
            throw new WeftException(WeftException.USAGE, netns == null ? "give docker run's arguments after '--' (e.g. -- --name web local/image cmd)"
                    : "give the command to run after '--'");
        }
        if (withDns && withoutDns) {
            throw new WeftException(WeftException.USAGE, "--with-dns and --without-dns exclude each other");
        }
        if (netns != null) {
            runInNetns(daemon, addrs, rest);
        } else {
            runDocker(daemon, addrs, rest);
        }
    }

    private void runDocker(DaemonApi daemon, List<String> addrs, List<String> dockerArgs) {
        List<String> argv = new ArrayList<>(List.of("run", "-d"));
        argv.addAll(dockerArgs);
        String out = DockerCli.run(argv);
        String id = out.substring(out.lastIndexOf('\n') + 1).trim();
        List<LocalAttachResponse> done;
        try {
            done = AttachCommand.attach(daemon, id, addrs, names, withoutDns);
            if (!withoutDns) {
                pointResolver(daemon, id, done.get(0).getEndpoint().getNetwork());
            }
        } catch (WeftException e) {
            // Nothing half-done stays behind: the container exists only attached.
            try {
                DockerCli.run(List.of("rm", "-f", id));
            } catch (WeftException ignored) {
                // report the attach failure, not the clean-up's
            }
            throw new WeftException(e.exitCode(), "container " + id.substring(0, Math.min(12, id.length())) + " removed: " + e.getMessage());
        }
        print(json ? Jsons.list(done) : id);
    }

    /** Writes the container's resolv.conf (Docker's bind-mounted file) to use this host's Weft DNS. */
    private void pointResolver(DaemonApi daemon, String id, String network) {
        LocalDns dns = daemon.call(s -> s.status(LocalStatusRequest.getDefaultInstance())).getDns();
        String server = null;
        for (LocalDnsListener l : dns.getListenersList()) {
            if (l.getNetwork().equals(network)) {
                server = l.getAddress().replaceFirst(":[0-9]+$", "");
            }
        }
        if (!dns.getEnabled() || server == null) {
            throw new WeftException("Weft DNS does not serve network '" + network + "' on this host ("
                    + (dns.getEnabled() ? "no listener" : "stopped: 'weft launch-dns'") + "); or run with --without-dns");
        }
        String path = DockerCli.run(List.of("inspect", "-f", "{{.ResolvConfPath}}", id));
        StringBuilder conf = new StringBuilder("# written by weft run: Weft DNS of this host\nnameserver ").append(server).append('\n');
        if (!dns.getDomainsList().isEmpty()) {
            conf.append("search ").append(String.join(" ", dns.getDomainsList())).append('\n');
        }
        try {
            Files.writeString(Path.of(path), conf);
        } catch (IOException e) {
            throw new WeftException("cannot write the container's resolver file " + path + ": " + e.getMessage());
        }
    }

    private void runInNetns(DaemonApi daemon, List<String> addrs, List<String> command) {
        if (!netns.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new WeftException(WeftException.USAGE, "bad namespace name '" + netns + "': use letters, digits, '.', '_', '-'");
        }
        boolean made = false;
        if (!Files.exists(Path.of("/var/run/netns", netns))) {
            exec(List.of("ip", "netns", "add", netns));
            exec(List.of("ip", "-n", netns, "link", "set", "lo", "up"));
            made = true;
        }
        List<LocalAttachResponse> done;
        try {
            done = AttachCommand.attach(daemon, "netns:" + netns, addrs, names, withoutDns);
        } catch (WeftException e) {
            if (made) {
                exec(List.of("ip", "netns", "del", netns));
            }
            throw e;
        }
        Path log = StateDir.of(null).root().resolve("run-" + netns + ".log");
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "setsid"));
        argv.addAll(command);
        long pid;
        try {
            Files.createDirectories(log.getParent());
            pid = new ProcessBuilder(argv).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start().pid();
        } catch (IOException e) {
            throw new WeftException("cannot start " + command.get(0) + " in " + netns + ": " + e.getMessage());
        }
        if (json) {
            print(Jsons.list(done));
        } else {
            StringBuilder sb = new StringBuilder();
            for (LocalAttachResponse r : done) {
                sb.append(r.getEndpoint().getIp()).append('\n');
            }
            sb.append("pid ").append(pid).append(", output in ").append(log);
            print(sb.toString());
        }
    }

    private static void exec(List<String> argv) {
        Exec.run(argv, "install iproute2");
    }
}
