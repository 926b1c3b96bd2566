package io.weft.dataplane.seal;

import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.Header;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Encryption and peer authentication of the data path (issue 4): Noise_IKpsk2 handshakes between
 * each pair of hosts ({@link NoiseIKpsk2}, formats in {@link HandshakeWire}), then AES-256-GCM per
 * datagram with a counter nonce and a replay window, sealed in place.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>{@link #seal}: any number of threads (TAP readers, heartbeats). Lock-free: a volatile read
 *       of the peer's current session, an atomic counter, a per-thread Cipher.</li>
 *   <li>{@link #open}, {@link #onHandshake}: the receive thread (safe from several, too).
 *       {@code onHandshake} only rate-limits, copies and queues: every DH runs on the handshake
 *       worker thread.</li>
 *   <li>{@link #setPeer}, {@link #removePeer}, status methods: any thread (the control-plane
 *       watcher).</li>
 *   <li>{@link #start} starts the worker; without it (tests) {@link #runHandshakeWork} does the
 *       worker's job on the calling thread.</li>
 * </ul>
 * No pending queue: {@link #seal} returns -1 while a peer has no session (the caller counts the
 * drop) and asks the worker for a handshake; the first handshake takes one round trip, re-keys
 * lose nothing (the old session keeps sealing until the new one is confirmed, and keeps opening
 * in-flight datagrams afterwards).
 */
public final class SessionManager implements PacketSealer, PacketOpener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionManager.class.getName());
    private static final byte[] WAKE = new byte[0];
    private static final HexFormat HEX = HexFormat.of();
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SealConfig config;
    private final SealClock clock;
    private final SealCounters counters = new SealCounters();
    private final Handshakes handshakes;
    private final BlockingQueue<byte[]> queue;
    private final SourceRateLimiter sourceLimiter;
    private final long rejectAfterNanos;
    private final Object lock = new Object();
    private volatile IndexTable<PeerChannel> peers = IndexTable.empty();
    private volatile IndexTable<TransportSession> sessions = IndexTable.empty();
    private final Map<String, PeerChannel> peersByKey = new ConcurrentHashMap<>();
    private volatile Thread worker;
    private volatile boolean running;
    private long workerErrors;

    public SessionManager(int selfPeerId, LocalIdentity identity, NetworkPassword password, SealConfig config,
            SealClock clock, HandshakeTransport transport) {
        if (selfPeerId == 0) {
            throw new IllegalArgumentException("peer id 0 is reserved");
        }
        this.config = config;
        this.clock = clock;
        this.rejectAfterNanos = config.rejectAfter().toNanos();
        this.queue = new ArrayBlockingQueue<>(config.handshakeQueue());
        this.sourceLimiter = new SourceRateLimiter(config.perSourceRate(), config.perSourceBurst());
        this.handshakes = new Handshakes(this, selfPeerId, identity, password, config, clock, transport, counters);
    }

    // ---- membership (control plane) ----

    /** Adds or updates a member's static public key (32 raw bytes); a changed key drops its sessions. */
    public void setPeer(int peerId, byte[] publicKey) {
        if (peerId == 0 || publicKey == null || publicKey.length != X25519Dh.KEY_LENGTH) {
            throw new IllegalArgumentException("peer " + peerId + ": need a non-zero id and a 32-byte X25519 key");
        }
        synchronized (lock) {
            PeerChannel old = peers.get(peerId);
            if (old != null) {
                if (Arrays.equals(old.staticKey, publicKey)) {
                    return;
                }
                drop(old);
            }
            PeerChannel p = new PeerChannel(peerId, publicKey);
            peers = peers.with(peerId, p);
            peersByKey.put(HEX.formatHex(publicKey), p);
        }
    }

    /** Forgets a member: its sessions stop sealing and opening immediately. */
    public void removePeer(int peerId) {
        synchronized (lock) {
            PeerChannel p = peers.get(peerId);
            if (p != null) {
                drop(p);
            }
        }
    }

    private void drop(PeerChannel p) {
        p.removed = true;
        peers = peers.without(p.peerId);
        peersByKey.remove(HEX.formatHex(p.staticKey), p);
        retire(p.current);
        retire(p.previous);
        retire(p.next);
        p.current = null;
        p.previous = null;
        p.next = null;
    }

    // ---- data path ----

    @Override
    public int prefixLength() {
        return HandshakeWire.PREFIX_LENGTH;
    }

    @Override
    public int suffixLength() {
        return AeadEngine.TAG_LENGTH;
    }

    @Override
    public int seal(int peerId, byte[] buf, int off, int plaintextLength) {
        PeerChannel p = peers.get(peerId);
        if (p == null) {
            counters.sealWithoutSession.increment();
            return -1;
        }
        TransportSession s = p.current;
        long now = clock.nanoTime();
        if (s == null || now - s.createdNanos >= rejectAfterNanos) {
            wantHandshake(p);
            counters.sealWithoutSession.increment();
            return -1;
        }
        int length = s.seal(buf, off, plaintextLength, config.rejectAfterMessages());
        if (length < 0 || rekeyDue(s, now, false)) {
            wantHandshake(p);
        }
        if (length < 0) {
            counters.sealWithoutSession.increment();
        }
        return length;
    }

    @Override
    public int open(int peerId, byte[] buf, int off, int length) {
        if (length < Header.LENGTH + HandshakeWire.PREFIX_LENGTH + AeadEngine.TAG_LENGTH || off < 0
                || off + length > buf.length) {
            counters.truncated.increment();
            return -1;
        }
        TransportSession s = sessions.get(Bytes.i32(buf, off + Header.LENGTH));
        PeerChannel p = peers.get(peerId);
        if (s == null || p == null || s.peerId != peerId || clock.nanoTime() - s.createdNanos >= rejectAfterNanos) {
            counters.unknownSession.increment();
            return -1;
        }
        long counter = Bytes.i64(buf, off + Header.LENGTH + HandshakeWire.INDEX);
        int plain = s.open(buf, off, length, counter, config.rejectAfterMessages());
        if (plain == TransportSession.FORGED) {
            p.decryptFailures.increment();
            return -1;
        }
        if (plain < 0) {
            p.replaysDropped.increment();
            return -1;
        }
        if (s == p.next) {
            promote(p, s);
        }
        return plain;
    }

    /**
     * A handshake datagram ({@code PacketType.HANDSHAKE_INIT} / {@code HANDSHAKE_RESPONSE}, header
     * included) that claims to come from {@code fromPeer}, received from {@code from} (the
     * rate-limit key; the relay's address when relayed; may be null). Same shape as the device's
     * {@code HandshakeHandler}, so {@code manager::onHandshake} plugs in. Cheap and non-blocking:
     * length and sender check, per-source token bucket, copy, bounded queue; drops are counted.
     */
    public void onHandshake(int fromPeer, byte[] buf, int off, int length, InetSocketAddress from) {
        boolean inBounds = length >= Header.LENGTH && off >= 0 && off + length <= buf.length;
        if (!inBounds || HandshakeWire.kind(buf[off + 1] & 0xFF, length) < 0
                || Bytes.i32(buf, off + 8) != fromPeer) {
            counters.handshakeMalformed.increment();
            return;
        }
        if (!sourceLimiter.admit(from == null ? null : from.getAddress(), clock.nanoTime())) {
            counters.handshakeRateLimited.increment();
            return;
        }
        if (!queue.offer(Arrays.copyOfRange(buf, off, off + length))) {
            counters.handshakeQueueFull.increment();
        }
    }

    /** The device saw plaintext from a peer while this host requires encryption: for status. */
    public void recordEncryptionMismatch(int peerId) {
        PeerChannel p = peers.get(peerId);
        if (p != null) {
            p.refusal = Refusal.ENCRYPTION_MISMATCH;
        }
    }

    // ---- observability ----

    /** Null for a peer that is not a member. */
    public PeerSealStatus status(int peerId) {
        PeerChannel p = peers.get(peerId);
        return p == null ? null : p.status(clock.nanoTime(), config);
    }

    public List<PeerSealStatus> statuses() {
        List<PeerSealStatus> out = new ArrayList<>();
        long now = clock.nanoTime();
        for (PeerChannel p : peerList()) {
            out.add(p.status(now, config));
        }
        out.sort((a, b) -> Integer.compareUnsigned(a.peerId(), b.peerId()));
        return out;
    }

    public SealCounters counters() {
        return counters;
    }

    // ---- worker ----

    /** Starts the handshake worker thread (daemon). */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::workLoop, "weft-handshake");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    private void workLoop() {
        long lastTick = clock.nanoTime() - TICK_NANOS;
        while (running) {
            try {
                byte[] d = queue.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
                if (d != null && d != WAKE) {
                    handshakes.process(d);
                }
                long now = clock.nanoTime();
                if (d == null || d == WAKE || now - lastTick >= TICK_NANOS) {
                    handshakes.tick();
                    lastTick = now;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug (or a transport that throws) must not stop all handshakes: log, go on.
                if (workerErrors++ % 1000 == 0) {
                    LOG.log(Level.WARNING, "handshake worker error (" + workerErrors + " so far)", e);
                }
            }
        }
    }

    /**
     * Does the worker's job on the calling thread: every queued handshake datagram, then the timers.
     * For tests and for callers that run no worker; never while {@link #start} was called.
     *
     * @return how many datagrams were processed
     */
    public int runHandshakeWork() {
        if (worker != null) {
            throw new IllegalStateException("the handshake worker thread is running");
        }
        int n = 0;
        for (byte[] d; (d = queue.poll()) != null; ) {
            if (d != WAKE) {
                handshakes.process(d);
                n++;
            }
        }
        handshakes.tick();
        return n;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = worker;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            for (PeerChannel p : peerList()) {
                drop(p);
            }
        }
    }

    // ---- used by Handshakes (worker thread) ----

    PeerChannel peer(int peerId) {
        return peers.get(peerId);
    }

    PeerChannel peerByKey(byte[] key) {
        return peersByKey.get(HEX.formatHex(key));
    }

    List<PeerChannel> peerList() {
        List<PeerChannel> out = new ArrayList<>();
        peers.forEach(out::add);
        return out;
    }

    TransportSession session(int index) {
        return sessions.get(index);
    }

    /** Whether {@code p} needs a new handshake now (none, expiring, or due for a re-key). */
    boolean needsHandshake(PeerChannel p, long now) {
        TransportSession next = p.next;
        if (next != null && now - next.createdNanos < config.rekeyTimeout().toNanos()) {
            return false; // we just answered one; the initiator is about to confirm it
        }
        TransportSession s = p.current;
        return s == null || now - s.createdNanos >= rejectAfterNanos || rekeyDue(s, now, true);
    }

    /**
     * Whether {@code s} has reached its re-key age, message count or byte volume. The byte total is
     * a sum over cells: the data path ({@code everyTime} false) looks at it every 1024 datagrams,
     * not on each one; the handshake worker, deciding whether to start the handshake the data path
     * asked for, always does — sampling there would let it see "not due" unless the counter
     * happened to sit on a multiple of 1024, and a fast flow would never re-key by volume.
     */
    private boolean rekeyDue(TransportSession s, long now, boolean everyTime) {
        long age = now - s.createdNanos;
        long limit = config.rekeyAfter().toNanos() + (s.initiator ? 0 : 2 * config.rekeyTimeout().toNanos());
        long sent = s.sent();
        return age >= limit || sent >= config.rekeyAfterMessages()
                || ((everyTime || (sent & 1023) == 0) && s.sentBytes() >= config.rekeyAfterBytes());
    }

    private void wantHandshake(PeerChannel p) {
        if (p.handshakeWanted.compareAndSet(false, true)) {
            queue.offer(WAKE);
        }
    }

    /** Our initiation completed: the new session seals from now on. */
    boolean installInitiated(PeerChannel p, TransportSession s) {
        synchronized (lock) {
            if (p.removed) {
                return false;
            }
            sessions = sessions.with(s.localIndex, s);
            retire(p.previous);
            retire(p.next);
            p.next = null;
            p.previous = p.current;
            p.current = s;
            return true;
        }
    }

    /** We answered an initiation: the session opens now and seals once the peer has used it. */
    boolean installResponded(PeerChannel p, TransportSession s) {
        synchronized (lock) {
            if (p.removed) {
                return false;
            }
            sessions = sessions.with(s.localIndex, s);
            retire(p.next);
            p.next = s;
            return true;
        }
    }

    private void promote(PeerChannel p, TransportSession s) {
        synchronized (lock) {
            if (p.next != s || p.removed) {
                return;
            }
            retire(p.previous);
            p.previous = p.current;
            p.current = s;
            p.next = null;
        }
    }

    /** Drops sessions past rejectAfter: they can neither seal nor open any more. */
    void expire(PeerChannel p, long now) {
        synchronized (lock) {
            if (old(p.previous, now)) {
                retire(p.previous);
                p.previous = null;
            }
            if (old(p.next, now)) {
                retire(p.next);
                p.next = null;
            }
            if (old(p.current, now)) {
                retire(p.current);
                p.current = null;
            }
        }
    }

    private boolean old(TransportSession s, long now) {
        return s != null && now - s.createdNanos >= rejectAfterNanos;
    }

    private void retire(TransportSession s) {
        if (s != null) {
            sessions = sessions.without(s.localIndex);
        }
    }
}
