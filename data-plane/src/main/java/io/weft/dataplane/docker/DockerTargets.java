package io.weft.dataplane.docker;

import io.grpc.Status;
import io.weft.api.v1.LocalAttachRequest;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalPsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Docker containers as attach/detach targets: a target that is neither netns:NAME nor pid:N is a
 * container id or name, resolved through the Engine API to its full id (the identity registered
 * at the control plane) and PID (whose network namespace gets the interface). Its name becomes its
 * DNS name unless the caller gave names or asked for none.
 */
@ApplicationScoped
public class DockerTargets {
    private final DockerEngine engine = new DockerEngine(socketPath());

    /** DOCKER_HOST when it is a unix:// address, else Docker's default socket. */
    static Path socketPath() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && host.startsWith("unix://")) {
            return Path.of(host.substring("unix://".length()));
        }
        return Path.of("/var/run/docker.sock");
    }

    public DockerEngine engine() {
        return engine;
    }

    static boolean isPlain(String target) {
        return target.startsWith("netns:") || target.startsWith("pid:");
    }

    public LocalAttachRequest resolve(LocalAttachRequest req) {
        if (isPlain(req.getTarget())) {
            return req;
        }
        DockerEngine.Container c = find(req.getTarget());
        if (!c.running() || c.pid() <= 0) {
            throw Status.FAILED_PRECONDITION.withDescription("container " + req.getTarget() + " is not running: start it (docker start "
                    + req.getTarget() + ") and attach again").asRuntimeException();
        }
        LocalAttachRequest.Builder b = req.toBuilder().setTarget("pid:" + c.pid());
        if (req.getContainerId().isEmpty()) {
            b.setContainerId(c.id());
        }
        if (req.getDnsNamesCount() == 0 && !req.getWithoutDns() && c.name().matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            b.addDnsNames(c.name().toLowerCase());
        }
        return b.build();
    }

    public LocalDetachRequest resolve(LocalDetachRequest req) {
        if (isPlain(req.getTarget()) || !req.getContainerId().isEmpty()) {
            return req;
        }
        // A stopped container still inspects; a removed one was detached by the watcher already.
        return req.toBuilder().setContainerId(find(req.getTarget()).id()).build();
    }

    /** ps of Docker containers by name or short id: the full ids they are attached with. */
    public LocalPsRequest resolve(LocalPsRequest req) {
        LocalPsRequest.Builder b = req.toBuilder().clearContainers();
        for (String c : req.getContainersList()) {
            b.addContainers(containerId(c));
        }
        return b.build();
    }

    /**
     * A container as dns-add/dns-remove name it: a Docker name or short id becomes the full id the
     * endpoint was registered with; anything else (netns:, pid:, unknown to Docker) stays as given.
     */
    public String containerId(String given) {
        if (given.isEmpty() || isPlain(given) || !engine.present()) {
            return given;
        }
        try {
            return engine.inspect(given).map(DockerEngine.Container::id).orElse(given);
        } catch (IOException e) {
            return given;
        }
    }

    private DockerEngine.Container find(String target) {
        if (!engine.present()) {
            throw Status.INVALID_ARGUMENT.withDescription("'" + target + "' is not netns:NAME or pid:N, and there is no Docker here (no "
                    + engine.socket() + "): give netns:NAME, pid:N, or start Docker").asRuntimeException();
        }
        Optional<DockerEngine.Container> c;
        try {
            c = engine.inspect(target);
        } catch (IOException e) {
            throw Status.UNAVAILABLE.withDescription("cannot ask Docker about '" + target + "': " + e.getMessage()).asRuntimeException();
        }
        return c.orElseThrow(() -> Status.NOT_FOUND.withDescription("no Docker container '" + target
                + "' (docker ps -a lists them); targets are a container id or name, pid:N or netns:NAME").asRuntimeException());
    }
}
