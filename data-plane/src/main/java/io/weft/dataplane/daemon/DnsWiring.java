package io.weft.dataplane.daemon;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.Attachment;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.EndpointServiceGrpc;
import io.weft.api.v1.GetNetworkRequest;
import io.weft.api.v1.NetworkServiceGrpc;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.Network;
import io.weft.dataplane.agent.ControlPlaneChannel;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.dns.ContainerResolvConf;
import io.weft.dataplane.dns.DnsManager;
import io.weft.dataplane.host.Target;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Where containers reach the DNS server, and how they are pointed at it.
 *
 * <p>Design: a container's only interface is {@code ethwe} on its network's bridge, which has no
 * address of its own. So while DNS is on, this host takes one address in every network that has
 * containers here, allocated at the control plane like {@code expose} (container id
 * {@code weave:dns:<host>}: ids are global per network, so each host needs its own), put on the
 * bridge and recorded as a "host" attachment (persisted, removed by reset). The server listens
 * there; a netns container's resolv.conf names the address of each of its networks and searches
 * their domains. The address is given back when the network's last container here leaves. Any
 * host answers for every Weft name, so a container only ever needs its own host's address.
 *
 * <p>Runs after every attach and detach (synchronously: the file is in place when attach
 * returns) and after topology changes (asynchronously: it may call the control plane).
 */
@ApplicationScoped
public class DnsWiring {
    private static final Logger LOG = Logger.getLogger(DnsWiring.class);
    static final String DNS_ID_PREFIX = "weave:dns:";

    @Inject
    Daemon daemon;
    @Inject
    DnsManager dns;
    @Inject
    DataPlaneConfig cfg;

    private ContainerResolvConf files;
    private final ExecutorService async = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weft-dns-wiring");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Networks fetched from the control plane before the watch stream delivered them (guarded by this). */
    private final Map<String, Network> fetched = new java.util.HashMap<>();
    private volatile String lastError = "";

    /** After the daemon's own start (default priority), so its state is loaded. */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent ev) {
        files = new ContainerResolvConf(Path.of(cfg.dns().netnsEtc()), daemon.hostName() == null ? "?" : daemon.hostName(),
                Path.of(cfg.stateDir()));
        dns.start(cfg.dns().enabled() && !Files.exists(stoppedMarker()));
        dns.updateZone(daemon.view());
        daemon.addTopologyObserver(this::onTopology);
        publishListeners();
        reconcileLater();
    }

    private Path stoppedMarker() {
        return Path.of(cfg.stateDir(), "dns-stopped");
    }

    private String dnsId() {
        return DNS_ID_PREFIX + daemon.hostName();
    }

    private void onTopology(TopologyView v) {
        dns.updateZone(v);
        reconcileLater();
    }

    private void reconcileLater() {
        if (pending.compareAndSet(false, true)) {
            async.execute(() -> {
                pending.set(false);
                try {
                    reconcile();
                } catch (RuntimeException e) {
                    LOG.debug("DNS reconcile failed", e);
                }
            });
        }
    }

    // ------------------------------------------------------------------ launch-dns / stop-dns / status

    public LocalDns launch() {
        setStopped(false);
        dns.setEnabled(true);
        reconcile();
        return status();
    }

    public LocalDns stop() {
        setStopped(true);
        dns.setEnabled(false);
        return status();
    }

    private void setStopped(boolean stopped) {
        try {
            if (stopped) {
                Files.createDirectories(stoppedMarker().getParent());
                Files.writeString(stoppedMarker(), "stop-dns was run; launch-dns turns DNS back on\n");
            } else {
                Files.deleteIfExists(stoppedMarker());
            }
        } catch (IOException e) {
            throw Status.FAILED_PRECONDITION.withDescription("cannot record the DNS state in " + stoppedMarker() + ": " + e.getMessage()
                    + " — check the state directory (weft.state-dir)").asRuntimeException();
        }
    }

    public LocalDns status() {
        LocalDns s = dns.status();
        if (!lastError.isEmpty()) {
            s = s.toBuilder().setError(s.getError().isEmpty() ? lastError : s.getError() + "; " + lastError).build();
        }
        return s;
    }

    // ------------------------------------------------------------------ reconcile

    /** After an attach, detach or reset: never fails the operation (problems show in the DNS status). */
    public void afterChange() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            lastError = "DNS set-up failed: " + e.getMessage();
            LOG.warn("DNS set-up after a local change failed", e);
        }
    }

    /** Brings DNS addresses, listeners and containers' resolv.conf in line with the attachments. */
    public synchronized void reconcile() {
        if (!dns.enabled()) {
            // stop-dns keeps the addresses and files (launch-dns resumes service), but detached
            // containers' files still go.
            publishListeners();
            List<String> errors = new ArrayList<>();
            writeResolvConfs(errors, false);
            lastError = String.join("; ", errors);
            return;
        }
        Set<String> needed = new LinkedHashSet<>();
        Map<String, Attachment> have = new LinkedHashMap<>();
        synchronized (daemon.lock()) {
            for (Attachment a : daemon.attachments().values()) {
                if (a.getContainerId().equals(dnsId())) {
                    have.put(a.getNetwork(), a);
                } else if (!"host".equals(a.getTarget())) {
                    needed.add(a.getNetwork());
                }
            }
        }
        List<String> errors = new ArrayList<>();
        boolean changed = false;
        for (String net : needed) {
            if (!have.containsKey(net)) {
                try {
                    allocate(net);
                    changed = true;
                } catch (RuntimeException e) {
                    errors.add("no DNS address in network " + net + ": " + e.getMessage());
                }
            }
        }
        for (Map.Entry<String, Attachment> e : have.entrySet()) {
            if (!needed.contains(e.getKey())) {
                release(e.getValue());
                changed = true;
            }
        }
        if (changed) {
            synchronized (daemon.lock()) {
                daemon.markDirty();
                daemon.applyTopology();
                daemon.persistIfDirty();
            }
        }
        publishListeners();
        writeResolvConfs(errors, true);
        lastError = String.join("; ", errors);
        if (!errors.isEmpty()) {
            LOG.warnf("DNS: %s", lastError);
        }
    }

    private EndpointServiceGrpc.EndpointServiceBlockingStub endpoints() {
        ControlPlaneChannel cp = daemon.controlPlane();
        if (cp == null || daemon.peerId() == 0) {
            throw new IllegalStateException("the control plane is not reachable yet (it allocates the address); retried on the next change");
        }
        return cp.withAuth(EndpointServiceGrpc.newBlockingStub(cp.channel()), LocalOps.CALL_MILLIS);
    }

    private void allocate(String network) {
        Endpoint ep;
        try {
            ep = endpoints().attach(AttachRequest.newBuilder().setNetwork(network).setHost(daemon.hostName()).setContainerId(dnsId()).build());
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException("control plane: " + e.getStatus().getDescription(), e);
        }
        Network n = network(ep.getNetwork());
        synchronized (daemon.lock()) {
            Daemon.LocalNet ln = daemon.ensureNetwork(n);
            daemon.plumbing().addBridgeAddress(n.getIsolationId(), ep.getIp(), ep.getPrefixLength());
            daemon.attachments().put(ep.getId(), Attachment.newBuilder().setEndpointId(ep.getId()).setContainerId(dnsId())
                    .setTarget("host").setNetwork(ep.getNetwork()).setInterface(ln.bridge).setRevision(ep.getRevision())
                    .setIp(ep.getIp()).setPrefixLength(ep.getPrefixLength()).setMac(ep.getMac()).build());
        }
        LOG.infof("DNS for network %s on %s:%d", network, ep.getIp(), cfg.dns().port());
    }

    /** The network from the topology, or from the control plane when the watch stream has not brought it yet. */
    private Network network(String name) {
        TopologyView v = daemon.view();
        Network n = v == null ? null : v.network(name);
        if (n == null) {
            n = fetched.get(name);
        }
        if (n == null) {
            ControlPlaneChannel cp = daemon.controlPlane();
            if (cp == null) {
                throw new IllegalStateException("network " + name + " is not known on this host yet");
            }
            try {
                n = cp.withAuth(NetworkServiceGrpc.newBlockingStub(cp.channel()), LocalOps.CALL_MILLIS)
                        .getNetwork(GetNetworkRequest.newBuilder().setName(name).build());
            } catch (StatusRuntimeException e) {
                throw new IllegalStateException("control plane: " + e.getStatus().getDescription(), e);
            }
            fetched.put(name, n);
        }
        return n;
    }

    private void release(Attachment a) {
        try {
            endpoints().detach(DetachRequest.newBuilder().setEndpointId(a.getEndpointId()).build());
        } catch (StatusRuntimeException | IllegalStateException e) {
            // NOT_FOUND: already gone; otherwise the control plane frees it when the host is removed
            LOG.debugf("releasing DNS address %s: %s", a.getIp(), e.getMessage());
        }
        synchronized (daemon.lock()) {
            daemon.unplumb(a);
            daemon.attachments().remove(a.getEndpointId());
        }
    }

    private void publishListeners() {
        Map<String, String> ipToNet = new LinkedHashMap<>();
        synchronized (daemon.lock()) {
            for (Attachment a : daemon.attachments().values()) {
                if (a.getContainerId().equals(dnsId())) {
                    ipToNet.put(a.getIp(), a.getNetwork());
                }
            }
        }
        dns.setNetworkAddresses(ipToNet);
    }

    /** Each attached netns gets nameserver + search lines for its networks; files of namespaces no longer attached go. */
    private void writeResolvConfs(List<String> errors, boolean write) {
        Map<String, List<String>> servers = new LinkedHashMap<>();
        Map<String, Set<String>> search = new LinkedHashMap<>();
        Map<String, String> dnsIpByNet = new LinkedHashMap<>();
        List<Attachment> containers = new ArrayList<>();
        synchronized (daemon.lock()) {
            for (Attachment a : daemon.attachments().values()) {
                if (a.getContainerId().equals(dnsId())) {
                    dnsIpByNet.put(a.getNetwork(), a.getIp());
                } else if (a.getTarget().startsWith("netns:")) {
                    containers.add(a);
                }
            }
        }
        for (Attachment a : containers) {
            String ns = Target.parse(a.getTarget()).value();
            String ip = dnsIpByNet.get(a.getNetwork());
            if (ip == null) {
                continue;
            }
            Network n;
            try {
                n = network(a.getNetwork());
            } catch (IllegalStateException e) {
                errors.add("no resolv.conf for " + ns + ": " + e.getMessage());
                continue;
            }
            List<String> l = servers.computeIfAbsent(ns, k -> new ArrayList<>());
            if (!l.contains(ip) && l.size() < 3) { // the C library reads at most 3 nameservers
                l.add(ip);
            }
            search.computeIfAbsent(ns, k -> new LinkedHashSet<>()).add(DnsManager.domainOf(n));
        }
        for (Map.Entry<String, List<String>> e : servers.entrySet()) {
            if (!write) {
                break;
            }
            try {
                if (!files.write(e.getKey(), e.getValue(), new ArrayList<>(search.get(e.getKey())))) {
                    errors.add("/etc/netns/" + e.getKey() + "/resolv.conf exists and was not written by Weft: left alone");
                }
            } catch (IOException ex) {
                errors.add("cannot write the resolv.conf of " + e.getKey() + ": " + ex.getMessage());
            }
        }
        try {
            for (String ns : files.written()) {
                if (!servers.containsKey(ns)) {
                    files.remove(ns);
                }
            }
        } catch (IOException ex) {
            errors.add("cannot clean up resolv.conf files: " + ex.getMessage());
        }
    }
}
