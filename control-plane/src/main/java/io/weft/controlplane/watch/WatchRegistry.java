package io.weft.controlplane.watch;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.weft.controlplane.config.WeftConfig;
import io.weft.controlplane.domain.HostManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The connected watchers of this replica: wakes them when the feed grows, sends heartbeats, closes
 * streams whose agent went silent, and tracks which stream speaks for which host.
 */
@ApplicationScoped
public class WatchRegistry {
    @Inject
    ChangeFeed feed;
    @Inject
    SnapshotCache snapshots;
    @Inject
    WatchMetrics metrics;
    @Inject
    WeftConfig config;
    @Inject
    HostManager hosts;
    @Inject
    MeterRegistry meters;

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final Map<String, Watcher> byHost = new ConcurrentHashMap<>();
    private ExecutorService fanout;
    private ExecutorService blocking;
    private ScheduledExecutorService ticker;

    void start(@Observes StartupEvent ev) {
        AtomicInteger n = new AtomicInteger();
        fanout = Executors.newFixedThreadPool(config.watch().fanoutThreads(), r -> daemon(r, "weft-watch-fanout-" + n.incrementAndGet()));
        AtomicInteger m = new AtomicInteger();
        // Hello and link reports write to the database: keep them off the event loops and off the fan-out.
        blocking = Executors.newFixedThreadPool(4, r -> daemon(r, "weft-watch-db-" + m.incrementAndGet()));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "weft-watch-heartbeat"));
        long every = config.watch().heartbeatInterval().toMillis();
        ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
        feed.setOnAppend(this::wakeAll);
        Gauge.builder("weft_watchers_connected", watchers, Set::size).description("Agent watch streams connected to this replica")
                .register(meters);
        Gauge.builder("weft_revision", feed, ChangeFeed::head).description("Newest revision this replica has seen").register(meters);
    }

    void stop(@Observes ShutdownEvent ev) {
        for (Watcher w : watchers) {
            w.close(Status.UNAVAILABLE.withDescription("control plane shutting down; reconnect"));
            w.signal();
        }
        ticker.shutdownNow();
        fanout.shutdown();
        blocking.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    ExecutorService fanout() {
        return fanout;
    }

    ExecutorService blocking() {
        return blocking;
    }

    ChangeFeed feed() {
        return feed;
    }

    SnapshotCache snapshots() {
        return snapshots;
    }

    WatchMetrics metrics() {
        return metrics;
    }

    long heartbeatMillis() {
        return config.watch().heartbeatInterval().toMillis();
    }

    void add(Watcher w) {
        watchers.add(w);
    }

    /** Makes w the stream of its host; an older stream of the same host is closed. */
    void bind(Watcher w, String host) {
        w.host = host;
        Watcher old = byHost.put(host, w);
        if (old != null && old != w) {
            old.close(Status.ALREADY_EXISTS.withDescription("host " + host + " connected again on another stream"));
            old.signal();
        }
    }

    void remove(Watcher w) {
        if (!watchers.remove(w)) {
            return;
        }
        String host = w.host;
        if (host != null && byHost.remove(host, w)) {
            blocking.execute(() -> {
                try {
                    if (byHost.containsKey(host)) {
                        return; // the host is back on a newer stream, which marked it connected
                    }
                    hosts.setConnected(host, false);
                } catch (RuntimeException ignored) {
                    // the host may have been removed meanwhile
                }
            });
        }
    }

    public int size() {
        return watchers.size();
    }

    private void wakeAll() {
        for (Watcher w : watchers) {
            if (w.live) {
                w.signal();
            }
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        long silentLimit = 3 * heartbeatMillis();
        for (Watcher w : watchers) {
            if (now - w.lastHeardMillis > silentLimit) {
                w.close(Status.DEADLINE_EXCEEDED.withDescription(
                        (w.live ? "no heartbeat from the agent for " : "no Hello within ") + silentLimit + " ms"));
            } else if (w.live) {
                w.heartbeat();
            } else {
                continue;
            }
            w.signal();
        }
    }
}
