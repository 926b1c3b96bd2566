package io.weft.dataplane.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.daemon.Daemon;
import io.weft.dataplane.device.Device;
import io.weft.dataplane.device.DeviceCounters;
import io.weft.dataplane.device.MacTable;
import io.weft.dataplane.device.Peer;
import io.weft.dataplane.wire.DropReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The data plane's Prometheus metrics (weft_dataplane_*), read from the forwarding core's own
 * counters when scraped: nothing extra on the packet path.
 */
@ApplicationScoped
public class DataPlaneMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    Daemon daemon;

    private final Set<Integer> peerMeters = ConcurrentHashMap.newKeySet();
    private final Set<Integer> networkMeters = ConcurrentHashMap.newKeySet();

    void onStart(@Observes StartupEvent ev) {
        for (DropReason r : DropReason.values()) {
            FunctionCounter.builder("weft.dataplane.drops", daemon, d -> d.drops().get(r))
                    .description("Packets dropped, by reason").tag("reason", r.name().toLowerCase()).register(registry);
        }
        device("weft.dataplane.tap.frames", "in", c -> c.framesFromTap, "Frames read from / written to the TAPs");
        device("weft.dataplane.tap.frames", "out", c -> c.framesToTap, "Frames read from / written to the TAPs");
        device("weft.dataplane.datagrams", "out", c -> c.datagramsSent, "Underlay datagrams");
        device("weft.dataplane.datagrams", "in", c -> c.datagramsReceived, "Underlay datagrams");
        device("weft.dataplane.relayed", "out", c -> c.relayedOut, "Frames sent through a relay (out) or relayed for others (through)");
        device("weft.dataplane.relayed", "through", c -> c.relayedThrough, "Frames sent through a relay (out) or relayed for others (through)");
        device("weft.dataplane.flooded.frames", "out", c -> c.floodedFrames, "Broadcast / unknown-destination frames flooded");
        device("weft.dataplane.heartbeats", "out", c -> c.heartbeatsSent, "Heartbeats sent and answered");
        device("weft.dataplane.heartbeats", "acked", c -> c.heartbeatAcks, "Heartbeats sent and answered");
        for (LinkState.State s : new LinkState.State[] {LinkState.State.CONNECTING, LinkState.State.ESTABLISHED,
                LinkState.State.RELAYED, LinkState.State.DOWN}) {
            Gauge.builder("weft.dataplane.connections", daemon, d -> d.links().values().stream().filter(l -> l.getState() == s).count())
                    .description("Links to peers by state").tag("state", s.name().toLowerCase()).register(registry);
        }
        Gauge.builder("weft.dataplane.sync.lag", daemon, d -> d.controlRevision() - d.revision())
                .description("Revisions the held topology is behind the control plane").baseUnit("revisions").register(registry);
        Gauge.builder("weft.dataplane.synced", daemon, d -> d.synced() ? 1 : 0)
                .description("1 while synced with the control plane").register(registry);
        Gauge.builder("weft.dataplane.control.plane.connected", daemon, d -> d.connected() ? 1 : 0)
                .description("1 while the watch stream is up").register(registry);
        Gauge.builder("weft.dataplane.networks", daemon, d -> d.networks().size())
                .description("Networks with a bridge on this host").register(registry);
        daemon.addTopologyObserver(this::onTopology);
        TopologyView v = daemon.view();
        if (v != null) {
            onTopology(v);
        }
    }

    private void device(String name, String direction, Function<DeviceCounters, LongAdder> f, String description) {
        FunctionCounter.builder(name, daemon, d -> {
            Device dev = d.device();
            return dev == null ? 0 : f.apply(dev.counters()).sum();
        }).description(description).tag("direction", direction).register(registry);
    }

    /** Per-peer and per-network meters, registered as peers and networks appear. */
    private void onTopology(TopologyView v) {
        for (Host h : v.snapshot().getHostsList()) {
            int id = h.getPeerId();
            if (id == 0 || h.getName().equals(v.self()) || !peerMeters.add(id)) {
                continue;
            }
            peerCounter("weft.dataplane.peer.frames", h.getName(), "in", id, Peer::framesIn);
            peerCounter("weft.dataplane.peer.frames", h.getName(), "out", id, Peer::framesOut);
            peerCounter("weft.dataplane.peer.bytes", h.getName(), "in", id, Peer::bytesIn);
            peerCounter("weft.dataplane.peer.bytes", h.getName(), "out", id, Peer::bytesOut);
            Gauge.builder("weft.dataplane.peer.rtt", daemon, d -> {
                Device dev = d.device();
                Peer p = dev == null ? null : dev.peer(id);
                return p == null ? Double.NaN : p.rttMicros() / 1e6;
            }).baseUnit("seconds").tag("peer", h.getName()).description("Smoothed direct RTT").register(registry);
        }
        daemon.networks().forEach((iso, n) -> {
            if (networkMeters.add(iso)) {
                ToDoubleFunction<Daemon> size = d -> {
                    Device dev = d.device();
                    MacTable t = dev == null ? null : dev.macTable(iso);
                    return t == null ? 0 : t.size();
                };
                Gauge.builder("weft.dataplane.mac.entries", daemon, size).tag("network", n.name())
                        .description("MAC table entries (static and learned)").register(registry);
            }
        });
    }

    private void peerCounter(String name, String peer, String direction, int id, java.util.function.ToLongFunction<Peer> f) {
        FunctionCounter.builder(name, daemon, d -> {
            Device dev = d.device();
            Peer p = dev == null ? null : dev.peer(id);
            return p == null ? 0 : f.applyAsLong(p);
        }).tag("peer", peer).tag("direction", direction).description("Traffic with each peer").register(registry);
    }
}
