package io.weft.dataplane.daemon;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.weft.api.v1.Attachment;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.dataplane.host.Target;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Detaches named-namespace containers that went away without being detached (/var/run/netns/NAME
 * deleted). Checked every {@value #PERIOD_MILLIS} ms, so a dead container's address is freed and
 * its DNS records disappear from every host within a second or two, as for a detach. A failed
 * detach (control plane unreachable) is retried on the next round. {@code pid:N} targets are left
 * to their owner: Docker containers are followed by the Docker watcher (docker/), and a bare
 * process id may be reused.
 */
@ApplicationScoped
public class GoneTargetReaper {
    private static final Logger LOG = Logger.getLogger(GoneTargetReaper.class);
    static final long PERIOD_MILLIS = 500;

    @Inject
    Daemon daemon;
    @Inject
    LocalOps ops;

    private ScheduledExecutorService timer;

    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 700) StartupEvent ev) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-reaper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reap, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void reap() {
        if (!daemon.synced()) {
            return; // the control plane must confirm the detach; meanwhile keep everything as is
        }
        Map<String, String> gone = new LinkedHashMap<>(); // container id -> target
        synchronized (daemon.lock()) {
            for (Attachment a : daemon.attachments().values()) {
                if (!"host".equals(a.getTarget()) && isGone(a.getTarget())) {
                    gone.put(a.getContainerId(), a.getTarget());
                }
            }
        }
        gone.forEach((cid, target) -> {
            try {
                ops.detach(LocalDetachRequest.newBuilder().setContainerId(cid).setTarget(target).build());
                LOG.infof("%s is gone (%s): detached", cid, target);
            } catch (RuntimeException e) {
                LOG.debugf("detaching gone %s failed (retried): %s", cid, e.getMessage());
            }
        });
    }

    static boolean isGone(String target) {
        Target t;
        try {
            t = Target.parse(target);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return t.kind() == Target.Kind.NETNS && !Files.exists(Path.of("/var/run/netns", t.value()));
    }
}
