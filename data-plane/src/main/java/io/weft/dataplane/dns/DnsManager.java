package io.weft.dataplane.dns;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalDnsListener;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.daemon.DataPlaneConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * This host's DNS server as a whole: the zone (rebuilt from each topology the daemon applies),
 * the sockets (on the host's DNS address in each network, set by the daemon's wiring, plus
 * weft.dns.extra-listen), the upstream servers (the host's resolv.conf, re-read every
 * {@value #RESOLV_POLL_SECONDS} s: polling also sees a symlinked or bind-mounted file replaced,
 * which inotify on the path would miss), on/off, and the status the local API shows.
 */
@ApplicationScoped
public class DnsManager {
    private static final Logger LOG = Logger.getLogger(DnsManager.class);
    static final int RESOLV_POLL_SECONDS = 2;

    @Inject
    DataPlaneConfig cfg;
    @Inject
    MeterRegistry registry;

    private DnsAnswerer answerer;
    private Upstream upstream;
    private DnsMetrics metrics;
    private DnsServer server;
    private ScheduledExecutorService poller;
    private volatile boolean enabled;
    /** Host DNS address -> network, from the daemon's wiring. */
    private volatile Map<String, String> networkAddresses = Map.of();
    private volatile List<InetAddress> listening = List.of();
    private volatile List<String> errors = List.of();
    private volatile List<InetSocketAddress> configuredUpstream = List.of();
    private String lastResolvConf;
    private List<io.weft.api.v1.Network> zoneNetworks = List.of();
    private List<io.weft.api.v1.DnsRecord> zoneRecords = List.of();

    /** Creates the server (listening nowhere yet); {@code on}: whether it serves once addresses are set. */
    public synchronized void start(boolean on) {
        if (server != null) {
            return;
        }
        long ttl = Math.max(0, cfg.dns().ttl().toSeconds());
        metrics = new DnsMetrics(registry);
        answerer = new DnsAnswerer(DnsZone.empty(ttl));
        upstream = new Upstream(cfg.dns().upstreamTimeout());
        server = new DnsServer(new QueryProcessor(answerer, upstream, metrics, cfg.dns().maxUdpPayload()), this::allowed, metrics,
                cfg.dns().port(), cfg.dns().threads());
        enabled = on;
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-dns-resolv");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollResolvConf, 0, RESOLV_POLL_SECONDS, TimeUnit.SECONDS);
        relisten();
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Rebuilds the zone from a topology (called for every topology the daemon applies), unless
     * its networks and records are the same as last time: most changes are links and endpoints,
     * and keeping the zone keeps the round-robin positions.
     */
    public synchronized void updateZone(TopologyView v) {
        DnsAnswerer a = answerer;
        if (a == null || v == null) {
            return;
        }
        List<io.weft.api.v1.Network> networks = v.snapshot().getNetworksList();
        List<io.weft.api.v1.DnsRecord> records = v.snapshot().getDnsRecordsList();
        if (networks.equals(zoneNetworks) && records.equals(zoneRecords)) {
            return;
        }
        a.setZone(DnsZone.build(networks, records, Math.max(0, cfg.dns().ttl().toSeconds()), v.revision()));
        zoneNetworks = networks;
        zoneRecords = records;
    }

    /** The host's DNS address in each network (ip -> network name). */
    public synchronized void setNetworkAddresses(Map<String, String> ipToNetwork) {
        networkAddresses = Map.copyOf(ipToNetwork);
        relisten();
    }

    public synchronized void setEnabled(boolean on) {
        enabled = on;
        relisten();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The domain containers of a network search (for their resolv.conf). */
    public static String domainOf(io.weft.api.v1.Network n) {
        return n.getDnsDomain().isBlank() ? DnsZone.DEFAULT_DOMAIN : n.getDnsDomain();
    }

    private void relisten() {
        if (server == null) {
            return;
        }
        Set<InetAddress> want = new LinkedHashSet<>();
        List<String> errs = new ArrayList<>();
        if (enabled) {
            List<String> ips = new ArrayList<>(networkAddresses.keySet());
            cfg.dns().extraListen().ifPresent(l -> l.forEach(s -> ips.addAll(List.of(s.split(",")))));
            for (String ip : ips) {
                try {
                    if (!ip.isBlank()) {
                        want.add(InetAddress.getByName(ip.trim()));
                    }
                } catch (UnknownHostException e) {
                    errs.add("listen address '" + ip + "' is not an IP address (weft.dns.extra-listen)");
                }
            }
        }
        errs.addAll(server.listen(want));
        errs.forEach(e -> LOG.warnf("DNS: %s", e));
        listening = List.copyOf(want);
        errors = List.copyOf(errs);
        applyUpstream();
    }

    private synchronized void pollResolvConf() {
        String content;
        try {
            content = Files.readString(Path.of(cfg.dns().resolvConf()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            content = "";
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot read %s: %s", cfg.dns().resolvConf(), e.getMessage());
            return;
        }
        if (content.equals(lastResolvConf)) {
            return;
        }
        lastResolvConf = content;
        configuredUpstream = ResolvConf.nameservers(content);
        applyUpstream();
        LOG.infof("DNS upstream from %s: %s", cfg.dns().resolvConf(), upstream.servers());
    }

    private void applyUpstream() {
        upstream.setServers(AccessPolicy.upstreamWithoutSelf(configuredUpstream, listening, cfg.dns().port()));
    }

    private boolean allowed(InetAddress client) {
        return AccessPolicy.allowed(client, listening, answerer.zone());
    }

    public LocalDns status() {
        LocalDns.Builder b = LocalDns.newBuilder().setEnabled(enabled).setTtlSeconds((int) Math.max(0, cfg.dns().ttl().toSeconds()));
        DnsAnswerer a = answerer;
        if (a == null) {
            return b.setError("DNS server not started").build();
        }
        DnsZone z = a.zone();
        for (Name d : z.domains()) {
            b.addDomains(d.toString(true));
        }
        b.setRecords(z.recordCount());
        for (InetSocketAddress u : upstream.servers()) {
            b.addUpstreamServers(u.getAddress().getHostAddress() + ":" + u.getPort());
        }
        Map<String, String> nets = networkAddresses;
        Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
        server.udpAddresses().forEach(s -> bound.put(s.getAddress().getHostAddress(), s));
        for (InetSocketAddress s : bound.values()) {
            String ip = s.getAddress().getHostAddress();
            b.addListeners(LocalDnsListener.newBuilder().setNetwork(nets.getOrDefault(ip, "")).setAddress(ip + ":" + s.getPort()));
        }
        String err = String.join("; ", errors);
        if (enabled && upstream.servers().isEmpty()) {
            err = (err.isEmpty() ? "" : err + "; ") + "no upstream nameserver in " + cfg.dns().resolvConf()
                    + ": names outside Weft's domains get SERVFAIL";
        }
        return b.setError(err).build();
    }

    /** For tests and the benchmark: the metrics of this server. */
    public DnsMetrics metrics() {
        return metrics;
    }
}
