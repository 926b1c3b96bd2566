package io.weft.controlplane.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Ready when the database answers. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    @Inject
    Store store;

    @Override
    public HealthCheckResponse call() {
        try {
            long rev = store.currentRevision();
            return HealthCheckResponse.named("store").up().withData("kind", store.database().kind()).withData("revision", rev).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("store").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
