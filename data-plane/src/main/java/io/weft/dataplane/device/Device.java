package io.weft.dataplane.device;

import io.weft.dataplane.conn.DatagramBatch;
import io.weft.dataplane.conn.Transport;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.tun.FrameBatch;
import io.weft.dataplane.tun.TapDevice;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarding core of one host: networks (each a TAP with its MAC table), peers (other hosts),
 * liveness and routes, wired to one underlay {@link Transport} through the sealing seam.
 *
 * <p>Threads: the TAP reading thread calls {@link #fromTap}; the socket's reading thread
 * runs {@link UnderlayPath}; a ticker calls {@link #tick} (heartbeats, liveness, routes, MAC
 * ageing); the control-plane client calls the configuration methods (peers, networks, static
 * MACs, reported links). Hot-path state is published copy-on-write or through volatile fields, so
 * packets never wait on a lock; configuration methods may lock among themselves.
 *
 * <p>Peer id 0 means "none" and is never a peer (the control plane assigns ids from 1).
 */
public final class Device {
    private final int self;
    private final DeviceConfig cfg;
    private final Transport transport;
    private final PacketSealer sealer;
    private final Sealing sealing;
    private final NanoClock clock;
    private final DropCounters drops;
    private final DeviceCounters counters = new DeviceCounters();

    private final LongMap<Peer> peers = new LongMap<>();
    private volatile Peer[] peerArray = new Peer[0];
    private final LongMap<NetworkContext> networks = new LongMap<>();
    private final UnderlayPath underlay;

    // Ticker thread only.
    private final Heartbeats heartbeats;
    /** Link states other hosts reported (key from << 32 | to), guarded by itself. */
    private final Map<Long, Boolean> reportedLinks = new HashMap<>();
    private volatile boolean routesDirty = true;
    private volatile LinkListener linkListener = (peer, status, via, rtt) -> { };

    public Device(int selfPeer, DeviceConfig cfg, Transport transport, Sealing sealing, NanoClock clock,
                  DropCounters drops) {
        if (selfPeer == 0) {
            throw new IllegalArgumentException("peer id 0 is reserved");
        }
        this.self = selfPeer;
        this.cfg = cfg;
        this.transport = transport;
        this.sealing = sealing;
        this.sealer = sealing.sealer();
        this.clock = clock;
        this.drops = drops;
        this.underlay = new UnderlayPath(this, cfg, sealing, clock);
        this.heartbeats = new Heartbeats(this, cfg, sealer, clock);
    }

    /** Whether this host encrypts (and so refuses plaintext), see {@link Sealing}. */
    public boolean encrypted() {
        return sealing.encrypted();
    }

    /** Header flags every sealed datagram of this host carries. */
    int sealFlags() {
        return sealing.encrypted() ? Header.FLAG_SEALED : 0;
    }

    /** Starts receiving from the underlay. */
    public void start() {
        transport.start(underlay);
    }

    public int self() {
        return self;
    }

    public DropCounters drops() {
        return drops;
    }

    public DeviceCounters counters() {
        return counters;
    }

    public void setLinkListener(LinkListener listener) {
        this.linkListener = listener;
    }

    LinkListener linkListener() {
        return linkListener;
    }

    // ---------------------------------------------------------------- configuration (control plane)

    /** Adds a network this host takes part in, with the TAP that is its port on the bridge. */
    public void addNetwork(int isolationId, TapDevice tap) {
        if (isolationId <= 0 || isolationId > 0xFFFFFF) {
            throw new IllegalArgumentException("isolation id must be 1..16777215: " + isolationId);
        }
        networks.put(isolationId, new NetworkContext(isolationId, tap, this, cfg));
    }

    public void removeNetwork(int isolationId) {
        networks.remove(isolationId);
    }

    /** The hosts of a network (frames are flooded to these and accepted only from these); null: every peer. */
    public void setNetworkMembers(int isolationId, int[] peerIds) {
        NetworkContext n = networks.get(isolationId);
        if (n != null) {
            n.members = peerIds == null ? null : peerIds.clone();
        }
    }

    /** Adds a peer or updates its underlay endpoint. */
    public synchronized void upsertPeer(int peerId, InetSocketAddress endpoint) {
        if (peerId == self || peerId == 0) {
            return;
        }
        Peer p = peers.get(Integer.toUnsignedLong(peerId));
        if (p != null) {
            p.endpoint = endpoint;
            return;
        }
        p = new Peer(peerId, endpoint);
        p.nextHop = p; // optimistic: try the direct path until heartbeats say otherwise
        peers.put(Integer.toUnsignedLong(peerId), p);
        peerArray = peers.values().toArray(new Peer[0]);
        routesDirty = true;
    }

    public synchronized void removePeer(int peerId) {
        Peer p = peers.remove(Integer.toUnsignedLong(peerId));
        if (p == null) {
            return;
        }
        p.nextHop = null;
        peerArray = peers.values().toArray(new Peer[0]);
        for (NetworkContext n : networks.values()) {
            n.macs.forgetPeer(peerId);
        }
        synchronized (reportedLinks) {
            reportedLinks.keySet().removeIf(k -> (int) (k >>> 32) == peerId || k.intValue() == peerId);
        }
        routesDirty = true;
    }

    /** A MAC the control plane allocated to an endpoint on {@code peerId} (or on us: then it is ignored). */
    public void putStaticMac(int isolationId, long mac, int peerId) {
        NetworkContext n = networks.get(isolationId);
        if (n != null && peerId != self) {
            n.macs.putStatic(mac, peerId);
        }
    }

    public void removeStaticMac(int isolationId, long mac) {
        NetworkContext n = networks.get(isolationId);
        if (n != null) {
            n.macs.removeStatic(mac);
        }
    }

    /**
     * A link state another host reported (through the control plane): {@code from} reaches
     * {@code to} directly or not. Our own links come from our heartbeats, not from here.
     */
    public void reportLink(int from, int to, boolean up) {
        if (from == self) {
            return;
        }
        long key = (Integer.toUnsignedLong(from) << 32) | Integer.toUnsignedLong(to);
        synchronized (reportedLinks) {
            Boolean old = up ? reportedLinks.put(key, Boolean.TRUE) : reportedLinks.remove(key);
            if (old == null ? up : !up) {
                routesDirty = true;
            }
        }
    }

    // ---------------------------------------------------------------- data path entry points

    /** Frames read from a network's TAP (call from that network's reader thread only). */
    public void fromTap(int isolationId, FrameBatch batch) {
        NetworkContext n = networks.get(isolationId);
        if (n == null) {
            for (int i = 0; i < batch.count(); i++) {
                drops.increment(DropReason.UNKNOWN_NETWORK);
            }
            return;
        }
        n.tapPath.process(batch);
    }

    /**
     * Sends a complete key-exchange datagram (header included) to {@code peerId}: straight to its
     * endpoint, or wrapped for the relay its route goes through, so hosts that only reach each
     * other through a third one still agree on keys. Any thread (the session layer's worker);
     * allocates, which is fine at handshake rates. False when there is nowhere to send it.
     */
    public boolean sendHandshake(int peerId, byte[] buf, int off, int len) {
        Peer p = peer(peerId);
        if (p == null) {
            drops.increment(DropReason.UNKNOWN_PEER);
            return false;
        }
        Peer hop = p.nextHop;
        if (hop != null && hop != p && p.endpoint != null) {
            // The route goes through a relay, perhaps only because the direct path has no session:
            // a restarted peer answers none of our old session's heartbeats, and the relay's
            // session with it may be just as stale. Handshakes are rare and idempotent (a second
            // copy is refused as a replay), so try the direct path as well.
            send(p.endpoint, buf, off, len, 0, p.id);
        }
        return route(p, buf, off, len);
    }

    /**
     * Sends an empty sealed datagram to {@code peerId} along its route: after a handshake this host
     * initiated, so the responder sees the new session used and starts sealing with it (see
     * {@link PacketType#KEEPALIVE}). Any thread; allocates (once per handshake).
     */
    public boolean sendKeepalive(int peerId) {
        Peer p = peer(peerId);
        if (p == null) {
            return false;
        }
        byte[] d = new byte[Header.LENGTH + sealer.prefixLength() + sealer.suffixLength()];
        new Header().wrap(d, 0).write(PacketType.KEEPALIVE, sealFlags(), 0, 0, self, peerId);
        int sealed = sealer.seal(peerId, d, 0, 0);
        if (sealed < 0) {
            drops.increment(DropReason.SEAL_FAILED);
            return false;
        }
        return route(p, d, 0, sealed);
    }

    /** A whole datagram (header included) to its endpoint, or wrapped for the relay its route goes through. */
    private boolean route(Peer p, byte[] buf, int off, int len) {
        Peer hop = p.nextHop;
        boolean direct = hop == null || hop == p || hop.endpoint == null;
        InetSocketAddress to = direct ? p.endpoint : hop.endpoint;
        if (to == null) {
            drops.increment(DropReason.NO_ROUTE);
            return false;
        }
        send(to, buf, off, len, direct ? 0 : Header.LENGTH, p.id);
        return true;
    }

    /** One datagram to {@code to}, behind a relay wrapper for {@code dst} when {@code wrapper} is its length. */
    private void send(InetSocketAddress to, byte[] buf, int off, int len, int wrapper, int dst) {
        DatagramBatch batch = new DatagramBatch(1, wrapper + len);
        int s = batch.add();
        byte[] d = batch.buffer(s);
        System.arraycopy(buf, off, d, wrapper, len);
        if (wrapper > 0) {
            new Header().wrap(d, 0).write(PacketType.RELAY, 0, cfg.relayTtl(), 0, self, dst);
            counters.relayedOut.increment();
        }
        batch.set(s, 0, wrapper + len, to);
        send(batch);
    }

    /** Heartbeats, liveness, routes and MAC ageing; call periodically from one thread. */
    public void tick() {
        heartbeats.tick();
    }

    /** The receiver the transport delivers to (exposed for wiring and tests). */
    public Transport.Receiver underlayReceiver() {
        return underlay;
    }

    // ---------------------------------------------------------------- status

    public Peer peer(int id) {
        return peers.get(Integer.toUnsignedLong(id));
    }

    public List<Peer> peers() {
        return peers.values();
    }

    public MacTable macTable(int isolationId) {
        NetworkContext n = networks.get(isolationId);
        return n == null ? null : n.macs;
    }

    // ---------------------------------------------------------------- internals

    Peer[] peerArray() {
        return peerArray;
    }

    NetworkContext network(int isolationId) {
        return networks.get(isolationId);
    }

    List<NetworkContext> networkList() {
        return networks.values();
    }

    Encapsulator newEncapsulator() {
        return new Encapsulator(self, sealer, sealFlags(), cfg.relayTtl(), drops, counters);
    }

    boolean takeRoutesDirty() {
        boolean d = routesDirty;
        routesDirty = false;
        return d;
    }

    void markRoutesDirty() {
        routesDirty = true;
    }

    /** Reported links as adjacency, for the route computation. */
    Map<Integer, int[]> reportedAdjacency() {
        Map<Integer, List<Integer>> adj = new HashMap<>();
        synchronized (reportedLinks) {
            for (Long k : reportedLinks.keySet()) {
                adj.computeIfAbsent((int) (k >>> 32), x -> new java.util.ArrayList<>()).add(k.intValue());
            }
        }
        Map<Integer, int[]> out = new HashMap<>();
        adj.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** A sender for the calling thread's exclusive use (see {@link Transport#newSender}). */
    Transport.Sender newSender(int maxDatagrams, int maxDatagramSize) {
        return transport.newSender(maxDatagrams, maxDatagramSize);
    }

    /** Sends a batch through a thread's own sender and counts what it refused. */
    void send(Transport.Sender sender, DatagramBatch batch) {
        int refused = sender.send(batch);
        counters.datagramsSent.add(batch.count() - refused);
        for (int i = 0; i < refused; i++) {
            drops.increment(DropReason.QUEUE_FULL);
        }
    }

    /** Sends a batch and counts what the transport refused. */
    void send(DatagramBatch batch) {
        int refused = transport.send(batch);
        counters.datagramsSent.add(batch.count() - refused);
        for (int i = 0; i < refused; i++) {
            drops.increment(DropReason.QUEUE_FULL);
        }
    }
}
