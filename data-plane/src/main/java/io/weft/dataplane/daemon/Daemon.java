package io.weft.dataplane.daemon;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.weft.api.v1.Attachment;
import io.weft.api.v1.Delta;
import io.weft.api.v1.Hello;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Network;
import io.weft.api.v1.PersistedState;
import io.weft.api.v1.Snapshot;
import io.weft.api.v1.Welcome;
import io.weft.dataplane.agent.ControlPlaneChannel;
import io.weft.dataplane.agent.HostKey;
import io.weft.dataplane.agent.StateStore;
import io.weft.dataplane.agent.TopologyModel;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.agent.WatchClient;
import io.weft.dataplane.conn.EpollUdpTransport;
import io.weft.dataplane.device.Device;
import io.weft.dataplane.device.DeviceConfig;
import io.weft.dataplane.device.LinkStatus;
import io.weft.dataplane.host.HostPlumbing;
import io.weft.dataplane.host.IfNames;
import io.weft.dataplane.host.Mtu;
import io.weft.dataplane.host.ThreadPriority;
import io.weft.dataplane.tun.LinuxTap;
import io.weft.dataplane.wire.DropCounters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The per-host daemon: identity (name, key pair, underlay endpoints), the watch stream and the
 * topology it keeps (persisted), the forwarding {@link Device} with its UDP transport, one bridge
 * + TAP per network that has containers here, the forwarding threads (one for the socket, one for
 * the TAPs), and the ticker. The local API
 * ({@code api/}) calls into {@link LocalOps}, which uses this class's state under its lock.
 *
 * <p>Locking: topology application, network set-up and attachment changes run under
 * {@code this}; packet paths never take it.
 */
@ApplicationScoped
public class Daemon {
    private static final Logger LOG = Logger.getLogger(Daemon.class);
    public static final String VERSION = "0.1.0-SNAPSHOT";

    /** A network with a bridge and TAP on this host. */
    public static final class LocalNet {
        final int isolationId;
        final String name;
        final String bridge;
        final LinuxTap tap;

        LocalNet(int isolationId, String name, String bridge, LinuxTap tap) {
            this.isolationId = isolationId;
            this.name = name;
            this.bridge = bridge;
            this.tap = tap;
        }

        /** The network's name (metrics label it by name, as the control plane's do). */
        public String name() {
            return name;
        }
    }

    @Inject
    DataPlaneConfig cfg;
    @Inject
    Vertx vertx;

    private String hostName;
    private HostKey key;
    private SessionLayer security;
    private List<String> advertise = List.of();
    private int mtu;
    private StateStore store;
    private final TopologyModel model = new TopologyModel();
    private volatile TopologyView view;
    private volatile int peerId;
    private volatile String storeId = "";
    private volatile String pendingStoreId = "";
    /** Local endpoints by endpoint id: where each is plumbed. Guarded by this. */
    private final Map<String, Attachment> attachments = new LinkedHashMap<>();
    private volatile boolean runningOnPersisted;
    private volatile boolean everSynced;
    private volatile long controlRevision;
    private HostPlumbing plumbing;
    private final DropCounters drops = new DropCounters();
    private EpollUdpTransport transport;
    /** Reads the underlay socket; runs from the start (handshakes and heartbeats come first). */
    private ForwardingLoop underlayLoop;
    /** Reads every network's TAP. */
    private ForwardingLoop tapLoop;
    private volatile Device device;
    /** Guarded by this. */
    private final Map<Integer, LocalNet> nets = new HashMap<>();
    private volatile Map<Integer, LocalNet> netsView = Map.of();
    private final DeviceSync sync = new DeviceSync();
    private ScheduledExecutorService ticker;
    private ControlPlaneChannel cp;
    private WatchClient watch;
    private volatile boolean dirty;
    private volatile String startError;
    private final Map<Integer, LinkState> myLinks = new ConcurrentHashMap<>();
    private final List<Consumer<TopologyView>> observers = new CopyOnWriteArrayList<>();

    // ------------------------------------------------------------------ lifecycle

    void onStart(@Observes StartupEvent ev) {
        try {
            start();
        } catch (Exception e) {
            startError = e.getMessage();
            LOG.errorf("data plane failed to start: %s", e.getMessage());
            LOG.debug("start failure", e);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    synchronized void start() throws Exception {
        hostName = cfg.hostName().filter(s -> !s.isBlank()).orElseGet(Daemon::defaultHostName);
        mtu = cfg.mtu().orElse(Mtu.DEFAULT);
        Path dir = Path.of(cfg.stateDir());
        store = new StateStore(dir);
        key = HostKey.loadOrCreate(dir);
        security = SessionLayer.from(cfg, key, dir);
        LOG.infof("data path encryption: %s", security.describe());
        PersistedState ps = store.load();
        if (ps != null && ps.getHostName().equals(hostName)) {
            model.apply(ps.getSnapshot());
            storeId = ps.getStoreId();
            peerId = ps.getPeerId();
            for (Attachment a : ps.getAttachmentsList()) {
                attachments.put(a.getEndpointId(), a);
            }
            runningOnPersisted = true;
            LOG.infof("loaded persisted state: revision %d, peer id %d, %d local endpoints", model.revision(), peerId,
                    attachments.size());
        } else if (ps != null) {
            LOG.warnf("state file belongs to host '%s', not '%s'; ignoring it", ps.getHostName(), hostName);
        }
        view = new TopologyView(model.snapshot(), hostName);
        plumbing = new HostPlumbing(mtu);
        List<String> removed = plumbing.reconcile(keepInterfaces());
        if (!removed.isEmpty()) {
            LOG.infof("removed stale interfaces: %s", removed);
        }
        int nice = ThreadPriority.validate(cfg.forwardingNice());
        transport = EpollUdpTransport.bind(new InetSocketAddress(InetAddress.getByName(cfg.listen()), cfg.port()),
                eventLoopGroup(), EpollUdpTransport.Options.defaults(), drops);
        // Forwarding threads read the socket and the TAPs from now on (Netty's event loop only sends
        // the few datagrams of the ticker and the session layer).
        underlayLoop = ForwardingLoop.underlay(this::device, transport.takeOverReceive(), transport.newReceiveBatch(), nice);
        tapLoop = ForwardingLoop.taps(this::device, nice);
        underlayLoop.start();
        tapLoop.start();
        LOG.infof("data path on udp %s (gso %s, gro %s), overlay mtu %d, forwarding threads at nice %d",
                transport.localAddress(), transport.gsoEnabled(), transport.groEnabled(), mtu, nice);
        if (peerId != 0) {
            buildDevice(peerId);
            applyTopology();
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::persistIfDirty, 1, 1, TimeUnit.SECONDS);
        String url = cfg.controlPlane().url().filter(s -> !s.isBlank()).orElse(null);
        if (url == null) {
            LOG.warn("no control plane configured (weft.control-plane.url / WEFT_CONTROL_PLANE_URL): running on persisted state only");
            return;
        }
        advertise = cfg.advertise().filter(l -> !l.isEmpty()).map(this::withPort).orElseGet(() -> detectAdvertise(url));
        cp = new ControlPlaneChannel(url, cfg.joinToken().orElse(""));
        watch = new WatchClient(cp, new WatchHandler(), cfg.controlPlane().reconnectMin().toMillis(),
                cfg.controlPlane().reconnectMax().toMillis());
        watch.start();
        LOG.infof("host %s joining %s, advertising %s, key %s", hostName, url, advertise, key);
    }

    synchronized void stop() {
        if (watch != null) {
            watch.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        persistIfDirty();
        if (underlayLoop != null) {
            underlayLoop.stop();
            tapLoop.stop();
        }
        for (LocalNet n : nets.values()) {
            n.tap.close();
        }
        nets.clear();
        netsView = Map.of();
        if (security != null) {
            security.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    private EventLoopGroup eventLoopGroup() {
        if (!cfg.useVertxEventLoop()) {
            return null;
        }
        try {
            EventLoopGroup g = ((io.vertx.core.impl.VertxInternal) vertx).getEventLoopGroup();
            if (g instanceof EpollEventLoopGroup) {
                return g;
            }
            LOG.info("Vert.x does not run on native epoll (quarkus.vertx.prefer-native-transport): using an own event loop");
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no Vert.x event loop group", e);
        }
        return null;
    }

    static String defaultHostName() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            h = System.getenv().getOrDefault("HOSTNAME", "host");
        }
        h = h.toLowerCase(Locale.ROOT);
        int dot = h.indexOf('.');
        if (dot > 0) {
            h = h.substring(0, dot);
        }
        h = h.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        return h.isEmpty() ? "host" : h.length() > 63 ? h.substring(0, 63) : h;
    }

    private List<String> withPort(List<String> l) {
        List<String> out = new ArrayList<>();
        for (String s : l) {
            for (String part : s.split(",")) {
                part = part.trim();
                if (!part.isEmpty()) {
                    out.add(part.contains(":") ? part : part + ":" + cfg.port());
                }
            }
        }
        return out;
    }

    /** The local address the kernel would use to reach the control plane (no packet is sent). */
    private List<String> detectAdvertise(String url) {
        try {
            URI u = URI.create(url.contains("://") ? url : "http://" + url);
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(InetAddress.getByName(u.getHost()), u.getPort() > 0 ? u.getPort() : 6785);
                InetAddress local = s.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    return List.of(local.getHostAddress() + ":" + cfg.port());
                }
            }
        } catch (Exception e) {
            LOG.warnf("cannot detect the underlay address (%s); set weft.advertise (WEFT_ADVERTISE)", e.getMessage());
        }
        return List.of();
    }

    // ------------------------------------------------------------------ device and networks

    private synchronized void buildDevice(int id) {
        long hb = cfg.heartbeatInterval().toNanos();
        DeviceConfig dc = DeviceConfig.defaults().withHeartbeat(hb, cfg.missedHeartbeats());
        Device d = new Device(id, dc, transport, security.newSealing(id, this::device), System::nanoTime, drops);
        d.setLinkListener(this::onLinkChange);
        for (LocalNet n : nets.values()) {
            d.addNetwork(n.isolationId, n.tap);
        }
        sync.reset();
        myLinks.clear();
        device = d;
        d.start();
        LOG.infof("forwarding as peer %d", id);
    }

    public Device device() {
        return device;
    }

    /** Encryption of the data path (status and metrics). */
    public SessionLayer security() {
        return security;
    }

    /** Bridge, TAP and reader for a network, if not there yet. */
    synchronized LocalNet ensureNetwork(Network n) {
        int iso = n.getIsolationId();
        LocalNet existing = nets.get(iso);
        if (existing != null) {
            return existing;
        }
        String bridge = plumbing.ensureBridge(iso);
        LinuxTap tap;
        try {
            tap = LinuxTap.open(IfNames.tap(iso), cfg.offloads() ? LinuxTap.DEFAULT_OFFLOADS : 0);
        } catch (java.io.IOException e) {
            throw new io.weft.dataplane.host.PlumbingException("cannot open TAP " + IfNames.tap(iso) + ": " + e.getMessage()
                    + " — the daemon needs root and /dev/net/tun (modprobe tun)");
        }
        try {
            plumbing.plugTap(tap.name(), bridge);
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
        Device d = device;
        if (d != null) {
            d.addNetwork(iso, tap);
        }
        sync.networkAdded(iso);
        LocalNet ln = new LocalNet(iso, n.getName(), bridge, tap);
        nets.put(iso, ln);
        netsView = Map.copyOf(nets);
        tapLoop.addTap(iso, tap);
        LOG.infof("network %s (isolation id %d): bridge %s, tap %s", n.getName(), iso, bridge, tap.name());
        return ln;
    }

    private synchronized void removeNetwork(LocalNet n) {
        tapLoop.removeTap(n.isolationId);
        Device d = device;
        if (d != null) {
            d.removeNetwork(n.isolationId);
        }
        n.tap.close();
        plumbing.deleteBridge(n.isolationId);
        sync.networkRemoved(n.isolationId);
        nets.remove(n.isolationId);
        netsView = Map.copyOf(nets);
        LOG.infof("network %s (isolation id %d) removed from this host", n.name, n.isolationId);
    }

    /** Interfaces reconciliation must keep: the bridges and veths of known attachments. */
    private Set<String> keepInterfaces() {
        Set<String> keep = new HashSet<>();
        for (Attachment a : attachments.values()) {
            Network n = view.network(a.getNetwork());
            if (n != null) {
                keep.add(IfNames.bridge(n.getIsolationId()));
            }
            if (!a.getHostInterface().isEmpty()) {
                keep.add(a.getHostInterface());
            }
        }
        return keep;
    }

    /** Brings bridges, TAPs and the device in line with the topology and the attachments. */
    synchronized void applyTopology() {
        TopologyView v = view;
        pruneRemovedAttachments(v);
        Set<String> needed = new HashSet<>();
        for (Attachment a : attachments.values()) {
            needed.add(a.getNetwork());
        }
        for (String name : needed) {
            Network n = v.network(name);
            if (n != null) {
                try {
                    ensureNetwork(n);
                } catch (RuntimeException e) {
                    LOG.errorf("cannot set up network %s: %s", name, e.getMessage());
                }
            }
        }
        for (LocalNet n : new ArrayList<>(nets.values())) {
            if (!needed.contains(n.name)) {
                removeNetwork(n);
            }
        }
        Device d = device;
        if (d != null) {
            Map<Integer, String> local = new HashMap<>();
            nets.values().forEach(n -> local.put(n.isolationId, n.name));
            sync.apply(v, d, local);
            security.syncPeers(v);
        }
        for (Consumer<TopologyView> o : observers) {
            try {
                o.accept(v);
            } catch (RuntimeException e) {
                LOG.debug("topology observer failed", e);
            }
        }
    }

    /** Local endpoints the control plane no longer has (detached elsewhere, host removed): unplumb. */
    private void pruneRemovedAttachments(TopologyView v) {
        if (watch == null || !watch.synced()) {
            return;
        }
        for (Attachment a : new ArrayList<>(attachments.values())) {
            if (v.revision() >= a.getRevision() && v.endpoint(a.getEndpointId()) == null) {
                LOG.infof("endpoint %s (%s in %s) was removed at the control plane; unplumbing it", a.getEndpointId(),
                        a.getContainerId(), a.getNetwork());
                unplumb(a);
                attachments.remove(a.getEndpointId());
                dirty = true;
            }
        }
    }

    synchronized void unplumb(Attachment a) {
        if ("host".equals(a.getTarget())) {
            Network n = view.network(a.getNetwork());
            LocalNet ln = n == null ? null : nets.get(n.getIsolationId());
            if (ln != null) {
                plumbing.removeBridgeAddress(ln.isolationId, a.getIp(), a.getPrefixLength());
            }
        } else if (!a.getHostInterface().isEmpty()) {
            plumbing.detach(a.getHostInterface());
        }
    }

    /** Removes every network and interface of ours (reset). */
    synchronized List<String> resetAll() {
        for (LocalNet n : new ArrayList<>(nets.values())) {
            tapLoop.removeTap(n.isolationId);
            Device d = device;
            if (d != null) {
                d.removeNetwork(n.isolationId);
            }
            n.tap.close();
            sync.networkRemoved(n.isolationId);
        }
        nets.clear();
        netsView = Map.of();
        attachments.clear();
        dirty = true;
        List<String> removed = plumbing.reset();
        persistIfDirty();
        return removed;
    }

    // ------------------------------------------------------------------ ticker, links, persistence

    private void tick() {
        Device d = device;
        if (d != null) {
            try {
                d.tick();
            } catch (RuntimeException e) {
                LOG.warn("device tick failed", e);
            }
        }
    }

    private void onLinkChange(int peer, LinkStatus status, int via, long rttMicros) {
        TopologyView v = view;
        String to = v.hostName(peer);
        LinkState.Builder b = LinkState.newBuilder()
                .setFromHost(hostName)
                .setToHost(to)
                .setState(switch (status) {
                    case CONNECTING -> LinkState.State.CONNECTING;
                    case ESTABLISHED -> LinkState.State.ESTABLISHED;
                    case RELAYED -> LinkState.State.RELAYED;
                    case DOWN -> LinkState.State.DOWN;
                })
                .setRttMicros((int) Math.min(Integer.MAX_VALUE, rttMicros))
                .setUpdated(Timestamps.fromMillis(System.currentTimeMillis()));
        if (via != 0) {
            b.setVia(v.hostName(via));
        }
        Device d = device;
        if (d != null && d.peer(peer) != null && d.peer(peer).endpoint() != null) {
            InetSocketAddress e = d.peer(peer).endpoint();
            b.setEndpoint(e.getAddress().getHostAddress() + ":" + e.getPort());
        }
        if (status == LinkStatus.DOWN) {
            b.setReason("no heartbeat answered for " + cfg.heartbeatInterval().multipliedBy(cfg.missedHeartbeats()).toMillis() + " ms");
        }
        LinkState ls = b.build();
        myLinks.put(peer, ls);
        LOG.infof("link to %s: %s%s", to, ls.getState(), via != 0 ? " via " + ls.getVia() : "");
        WatchClient w = watch;
        if (w != null) {
            w.report(List.of(ls));
        }
    }

    void markDirty() {
        dirty = true;
    }

    synchronized void persistIfDirty() {
        if (!dirty || store == null) {
            return;
        }
        dirty = false;
        PersistedState ps = PersistedState.newBuilder()
                .setSnapshot(model.snapshot())
                .setStoreId(storeId)
                .setPeerId(peerId)
                .setHostName(hostName)
                .addAllAttachments(attachments.values())
                .build();
        try {
            store.save(ps);
        } catch (Exception e) {
            dirty = true;
            LOG.errorf("cannot write state file %s: %s — check the state directory (weft.state-dir)", store.file(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the watch stream

    private final class WatchHandler implements WatchClient.Handler {
        @Override
        public Hello hello() {
            long since = storeId.isEmpty() ? 0 : model.revision();
            return Hello.newBuilder()
                    .setHostName(hostName)
                    .addAllUnderlayEndpoints(advertise)
                    .setPublicKey(ByteString.copyFrom(key.publicKeyBytes()))
                    .setSinceRevision(since)
                    .setStoreId(storeId)
                    .addFeatures("gso")
                    .setVersion(VERSION)
                    .build();
        }

        @Override
        public void onWelcome(Welcome w) {
            pendingStoreId = w.getStoreId();
            if (w.getPeerId() != peerId) {
                if (peerId != 0) {
                    LOG.warnf("control plane assigned peer id %d (was %d): rebuilding the device", w.getPeerId(), peerId);
                }
                peerId = w.getPeerId();
                buildDevice(peerId);
                dirty = true;
            }
        }

        @Override
        public void onSnapshot(Snapshot s) {
            model.apply(s);
        }

        @Override
        public void onDelta(Delta d) {
            if (model.apply(d) && watch.synced()) {
                view = new TopologyView(model.snapshot(), hostName);
                applyTopology();
                dirty = true;
            }
        }

        @Override
        public void onSynced(long revision) {
            storeId = pendingStoreId;
            runningOnPersisted = false;
            everSynced = true;
            view = new TopologyView(model.snapshot(), hostName);
            applyTopology();
            dirty = true;
            persistIfDirty();
            LOG.infof("synced at revision %d (%d hosts, %d networks, %d endpoints)", model.revision(),
                    view.snapshot().getHostsCount(), view.snapshot().getNetworksCount(), view.snapshot().getEndpointsCount());
        }

        @Override
        public void onControlRevision(long revision) {
            controlRevision = revision;
        }

        @Override
        public void onDisconnected(String reason) {
            LOG.debugf("disconnected from the control plane: %s", reason);
        }

        @Override
        public List<LinkState> currentLinks() {
            return new ArrayList<>(myLinks.values());
        }

        @Override
        public long heldRevision() {
            return model.revision();
        }
    }

    // ------------------------------------------------------------------ accessors (API, health, metrics)

    public String hostName() {
        return hostName;
    }

    public int peerId() {
        return peerId;
    }

    public int mtu() {
        return mtu;
    }

    public int port() {
        return cfg.port();
    }

    public List<String> advertise() {
        return advertise;
    }

    public TopologyView view() {
        return view;
    }

    public long revision() {
        return model.revision();
    }

    public long controlRevision() {
        return Math.max(controlRevision, model.revision());
    }

    public String storeId() {
        return storeId;
    }

    public boolean connected() {
        return watch != null && watch.connected();
    }

    public boolean synced() {
        return watch != null && watch.synced();
    }

    public boolean runningOnPersisted() {
        return runningOnPersisted;
    }

    public String controlPlaneUrl() {
        return cp == null ? "" : cp.url();
    }

    public ControlPlaneChannel controlPlane() {
        return cp;
    }

    HostPlumbing plumbing() {
        return plumbing;
    }

    public DropCounters drops() {
        return drops;
    }

    public Map<Integer, LocalNet> networks() {
        return netsView;
    }

    public Map<Integer, LinkState> links() {
        return Map.copyOf(myLinks);
    }

    /**
     * The lock guarding attachments and networks. Callers reach this bean through a CDI client
     * proxy, so they must lock (and read the map) through these methods, never the proxy itself.
     */
    Object lock() {
        return this;
    }

    /** Local endpoints by id; read and change only while holding {@link #lock()}. */
    Map<String, Attachment> attachments() {
        return attachments;
    }

    public void addTopologyObserver(Consumer<TopologyView> o) {
        observers.add(o);
    }

    /** Null when ready, else why not. */
    public String notReadyReason() {
        if (startError != null) {
            return "start failed: " + startError;
        }
        if (device == null) {
            return "waiting for the control plane to assign a peer id (" + (watch == null ? "no control plane" : watch.lastError()) + ")";
        }
        if (!synced() && !runningOnPersisted) {
            return "not synced with the control plane yet (" + (watch == null ? "no control plane" : watch.lastError()) + ")";
        }
        if (underlayLoop != null && (!underlayLoop.alive() || !tapLoop.alive())) {
            return "a forwarding thread stopped (see the log); restart the data plane";
        }
        for (LocalNet n : netsView.values()) {
            if (!HostPlumbing.exists(n.bridge) || !HostPlumbing.isUp(n.bridge)) {
                return "bridge " + n.bridge + " is not up";
            }
        }
        return null;
    }
}
