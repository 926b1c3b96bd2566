package io.weft.dataplane.ops;

import io.weft.dataplane.daemon.Daemon;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when synced with the control plane (or forwarding on persisted state) and every bridge is up. */
@Readiness
@ApplicationScoped
public class DataPlaneReadiness implements HealthCheck {
    @Inject
    Daemon daemon;

    @Override
    public HealthCheckResponse call() {
        String reason = daemon.notReadyReason();
        return HealthCheckResponse.named("weft-data-plane")
                .status(reason == null)
                .withData("host", String.valueOf(daemon.hostName()))
                .withData("peer_id", daemon.peerId())
                .withData("synced", daemon.synced())
                .withData("running_on_persisted_state", daemon.runningOnPersisted())
                .withData("revision", daemon.revision())
                .withData("networks", daemon.networks().size())
                .withData("reason", reason == null ? "" : reason)
                .build();
    }
}
