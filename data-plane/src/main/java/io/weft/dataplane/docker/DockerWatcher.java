package io.weft.dataplane.docker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalPsEntry;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.dataplane.daemon.LocalOps;
import io.weft.dataplane.proxy.ControlPlaneProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Detaches Docker containers when they die, as the original did: watches the Engine's container
 * events, and on every (re)connection also checks the attached containers it may have missed
 * (died while this daemon or Docker was down). A dead container's endpoints are released and its
 * DNS records removed at the control plane; when that cannot be reached, it is retried until it
 * works.
 */
@ApplicationScoped
public class DockerWatcher {
    private static final Logger LOG = Logger.getLogger(DockerWatcher.class);
    private static final Pattern DOCKER_ID = Pattern.compile("[0-9a-f]{64}");
    private static final long RETRY_MILLIS = 2000;

    @Inject
    DockerTargets targets;
    @Inject
    LocalOps ops;
    @Inject
    ControlPlaneProxy proxy;

    /** Dead containers still to detach. Guarded by itself. */
    private final Set<String> pending = new LinkedHashSet<>();
    private volatile Thread events;
    private volatile Thread cleaner;

    void onStart(@Observes StartupEvent ev) {
        events = daemonThread("weft-docker-events", this::watchLoop);
        cleaner = daemonThread("weft-docker-detach", this::detachLoop);
    }

    private static Thread daemonThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    void onStop(@Observes ShutdownEvent ev) {
        for (Thread t : new Thread[] {events, cleaner}) {
            if (t != null) {
                t.interrupt();
            }
        }
    }

    private void watchLoop() {
        DockerEngine engine = targets.engine();
        boolean said = false;
        while (!Thread.currentThread().isInterrupted()) {
            if (engine.present()) {
                try {
                    LOG.infof("watching Docker events at %s", engine.socket());
                    said = false;
                    reconcile(engine);
                    engine.containerEvents(this::onEvent);
                    LOG.info("Docker closed the events stream; reconnecting");
                } catch (IOException | RuntimeException e) {
                    if (!said) {
                        LOG.infof("Docker events unavailable (%s); retrying", e.getMessage());
                        said = true;
                    }
                }
            }
            if (!sleep(RETRY_MILLIS * 2)) {
                return;
            }
        }
    }

    void onEvent(JsonObject e) {
        String action = e.getString("Action", e.getString("status", ""));
        String id = e.getString("id", e.getJsonObject("Actor", new JsonObject()).getString("ID", ""));
        if ((action.equals("die") || action.equals("destroy")) && attached(id)) {
            LOG.infof("container %s %s: detaching it", id.substring(0, 12), action.equals("die") ? "died" : "was removed");
            enqueue(id);
        }
    }

    /** Attached containers that are gone or no longer running. */
    private void reconcile(DockerEngine engine) throws IOException {
        for (LocalPsEntry e : ops.ps(LocalPsRequest.getDefaultInstance()).getEntriesList()) {
            String id = e.getContainerId();
            if (DOCKER_ID.matcher(id).matches()) {
                Optional<DockerEngine.Container> c = engine.inspect(id);
                if (c.isEmpty() || !c.get().running()) {
                    enqueue(id);
                }
            }
        }
    }

    private boolean attached(String id) {
        if (!DOCKER_ID.matcher(id).matches()) {
            return false;
        }
        return !ops.ps(LocalPsRequest.newBuilder().addContainers(id).build()).getEntriesList().isEmpty();
    }

    private void enqueue(String id) {
        synchronized (pending) {
            pending.add(id);
            pending.notifyAll();
        }
    }

    private void detachLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            String id;
            synchronized (pending) {
                while (pending.isEmpty()) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                id = pending.iterator().next();
            }
            try {
                ops.detach(LocalDetachRequest.newBuilder().setContainerId(id).build());
                removeRecords(id);
                synchronized (pending) {
                    pending.remove(id);
                }
            } catch (RuntimeException e) {
                LOG.warnf("detaching dead container %s failed (%s); retrying", id.substring(0, 12), e.getMessage());
                if (!sleep(RETRY_MILLIS)) {
                    return;
                }
            }
        }
    }

    /** Records added for the container with dns-add (its endpoint's names went with the endpoint). */
    private void removeRecords(String id) {
        try {
            proxy.dnsRemove(RemoveDnsRecordsRequest.newBuilder().setContainerId(id).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
