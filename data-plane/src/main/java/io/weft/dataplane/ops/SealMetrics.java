package io.weft.dataplane.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.weft.api.v1.Host;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.daemon.Daemon;
import io.weft.dataplane.daemon.SessionLayer;
import io.weft.dataplane.seal.PeerSealStatus;
import io.weft.dataplane.seal.SealCounters;
import io.weft.dataplane.seal.SessionManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Encryption metrics of the data plane, per connection (session up, handshakes, re-keys,
 * decryption failures, replays) and for the handshake machinery as a whole (what the rate limits
 * and checks dropped). Read from the session layer's own counters at scrape time.
 */
@ApplicationScoped
public class SealMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    Daemon daemon;

    private final Set<Integer> peers = ConcurrentHashMap.newKeySet();

    void onStart(@Observes StartupEvent ev) {
        Gauge.builder("weft.dataplane.encryption.enabled", daemon, d -> d.security() != null && d.security().encrypted() ? 1 : 0)
                .description("1 when the data path is encrypted (weft.encryption=on)").register(registry);
        for (String reason : new SealCounters().snapshot().keySet()) {
            FunctionCounter.builder("weft.dataplane.handshake.drops", daemon, d -> {
                SessionManager m = d.security() == null ? null : d.security().sessions();
                Long v = m == null ? null : m.counters().snapshot().get(reason);
                return v == null ? 0 : v;
            }).tag("reason", reason).description("Handshake and sealing-layer datagrams dropped, by reason").register(registry);
        }
        daemon.addTopologyObserver(this::onTopology);
        TopologyView v = daemon.view();
        if (v != null) {
            onTopology(v);
        }
    }

    private void onTopology(TopologyView v) {
        for (Host h : v.snapshot().getHostsList()) {
            int id = h.getPeerId();
            if (id == 0 || h.getName().equals(v.self()) || !peers.add(id)) {
                continue;
            }
            String peer = h.getName();
            gauge("weft.dataplane.peer.session.established", peer, id, s -> s.established() ? 1 : 0,
                    "1 while an encrypted session with the peer can seal datagrams");
            gauge("weft.dataplane.peer.handshake.duration.seconds", peer, id, s -> s.lastHandshakeNanos() / 1e9,
                    "How long the last handshake this host initiated with the peer took (seconds)");
            counter("weft.dataplane.peer.rekeys", peer, id, PeerSealStatus::rekeys, "Handshakes completed after the first");
            counter("weft.dataplane.peer.decrypt.failures", peer, id, PeerSealStatus::decryptFailures,
                    "Datagrams that claimed a session with the peer but did not authenticate");
            counter("weft.dataplane.peer.replays.dropped", peer, id, PeerSealStatus::replaysDropped,
                    "Authentic datagrams refused as replays");
            FunctionCounter.builder("weft.dataplane.peer.handshakes", daemon, d -> stat(d, id, PeerSealStatus::handshakesSent))
                    .tag("peer", peer).tag("result", "sent").description("Handshakes with the peer").register(registry);
            FunctionCounter.builder("weft.dataplane.peer.handshakes", daemon, d -> stat(d, id, PeerSealStatus::handshakesReceived))
                    .tag("peer", peer).tag("result", "received").description("Handshakes with the peer").register(registry);
            FunctionCounter.builder("weft.dataplane.peer.handshakes", daemon, d -> stat(d, id, PeerSealStatus::handshakesFailed))
                    .tag("peer", peer).tag("result", "failed").description("Handshakes with the peer").register(registry);
        }
    }

    private static long stat(Daemon d, int id, ToLongFunction<PeerSealStatus> f) {
        SessionLayer s = d.security();
        PeerSealStatus st = s == null ? null : s.status(id);
        return st == null ? 0 : f.applyAsLong(st);
    }

    private void counter(String name, String peer, int id, ToLongFunction<PeerSealStatus> f, String description) {
        FunctionCounter.builder(name, daemon, d -> stat(d, id, f)).tag("peer", peer).description(description).register(registry);
    }

    private void gauge(String name, String peer, int id, ToDoubleFunction<PeerSealStatus> f, String description) {
        Gauge.builder(name, daemon, d -> {
            SessionLayer s = d.security();
            PeerSealStatus st = s == null ? null : s.status(id);
            return st == null ? 0 : f.applyAsDouble(st);
        }).tag("peer", peer).description(description).register(registry);
    }
}
