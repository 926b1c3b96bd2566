package io.weft.controlplane.watch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Meters of the watch fan-out. */
@ApplicationScoped
public class WatchMetrics {
    private final Timer pushLatency;
    private final Counter snapshots;
    private final Counter cutBack;
    private final Counter notReady;

    @Inject
    public WatchMetrics(MeterRegistry registry) {
        pushLatency = Timer.builder("weft_watch_push_latency")
                .description("Time from a change's commit to its hand-off to a watch stream")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        snapshots = Counter.builder("weft_watch_snapshots_sent").description("Snapshots sent to watchers").register(registry);
        cutBack = Counter.builder("weft_watch_cut_back").description("Watchers that fell behind the change log and were sent a snapshot")
                .register(registry);
        notReady = Counter.builder("weft_watch_flow_control_pauses")
                .description("Times a watch stream stopped taking data (its agent reads slowly)").register(registry);
    }

    void pushed(long millis) {
        pushLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void snapshotSent() {
        snapshots.increment();
    }

    void cutBackToSnapshot() {
        cutBack.increment();
    }

    void notReady() {
        notReady.increment();
    }
}
