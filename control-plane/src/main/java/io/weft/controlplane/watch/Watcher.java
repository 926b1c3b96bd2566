package io.weft.controlplane.watch;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.util.Timestamps;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Heartbeat;
import io.weft.api.v1.Synced;

/**
 * One agent's watch stream. It holds no queue: it remembers the last revision it sent and pulls
 * the next delta from the feed whenever the stream can take more. A slow agent therefore costs
 * nothing while it lags; once it falls behind what the ring and the change log hold, it gets a
 * fresh snapshot instead. All writes to the stream happen in {@link #pump()}, which runs on one
 * thread at a time (the work-in-progress counter), as grpc-java requires.
 *
 * The pump runs on the stream's own event loop: a write from any other thread is only queued as
 * an event-loop task, which isReady() does not see, so back-pressure would not hold and the
 * queue would grow without bound under load. Database reads (building a snapshot, reading old
 * deltas from the change log) therefore never run in the pump: they go to the worker pool, which
 * hands the result back and signals again.
 */
final class Watcher {
    private static final int LOG_BATCH = 512;
    /** Marker: the change log no longer holds the revision after sentRev. */
    private static final List<Encoded> COMPACTED = List.of(Encoded.delta(-2, new byte[0], 0));
    /** {@link #nextDelta} result: the next deltas are being read from the change log; wait for the signal. */
    private static final Encoded READING = Encoded.delta(-3, new byte[0], 0);

    private final ServerCallStreamObserver<Encoded> out;
    private final WatchRegistry registry;
    private final Executor loop;
    private final ChangeFeed feed;
    private final SnapshotCache snapshots;
    private final WatchMetrics metrics;
    /** Set by a worker when a database read the pump asked for is done. */
    private volatile Encoded readySnapshot;
    private volatile List<Encoded> readyBacklog;
    private volatile boolean readPending;
    private final AtomicInteger wip = new AtomicInteger();

    volatile String host;
    /** Link reports waiting to be stored, in arrival order (see AgentWatchService). */
    final java.util.Queue<List<io.weft.api.v1.LinkState>> reports = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicBoolean reportsDraining = new java.util.concurrent.atomic.AtomicBoolean();
    volatile boolean live;
    volatile long lastHeardMillis = System.currentTimeMillis();
    private volatile boolean heartbeatDue;
    private volatile Status closeWith;

    private volatile boolean closed;
    private Encoded welcome;
    private boolean needSnapshot;
    private boolean syncPending;
    private long sentRev;
    private ArrayDeque<Encoded> backlog;

    Watcher(ServerCallStreamObserver<Encoded> out, WatchRegistry registry, Executor loop) {
        this.out = out;
        this.registry = registry;
        this.loop = loop;
        this.feed = registry.feed();
        this.snapshots = registry.snapshots();
        this.metrics = registry.metrics();
    }

    /** Starts the catch-up after Hello; runs before the watcher is live. */
    void begin(Encoded welcome, long since, boolean snapshot) {
        this.welcome = welcome;
        this.sentRev = since;
        this.needSnapshot = snapshot;
        this.syncPending = true;
        this.live = true;
    }

    void heartbeat() {
        heartbeatDue = true;
    }

    void close(Status status) {
        closeWith = status;
    }

    long sentRevision() {
        return sentRev;
    }

    /** Schedules a pump on the stream's event loop unless one is pending or running. */
    void signal() {
        if (wip.getAndIncrement() == 0) {
            loop.execute(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            try {
                pump();
            } catch (RuntimeException e) {
                closeWith = Status.INTERNAL.withDescription("watch stream failed: " + e.getMessage());
                finish();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void pump() {
        if (closed) {
            return;
        }
        if (closeWith != null) {
            finish();
            return;
        }
        if (!live) {
            return;
        }
        while (out.isReady()) {
            if (welcome != null) {
                out.onNext(welcome);
                welcome = null;
            } else if (heartbeatDue) {
                heartbeatDue = false;
                long now = System.currentTimeMillis();
                out.onNext(Encoded.of(ControlMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setRevision(feed.head()).setSentAt(Timestamps.fromMillis(now))).build(), 0));
            } else if (needSnapshot) {
                Encoded snapshot = snapshots.fresh();
                if (snapshot == null) {
                    snapshot = readySnapshot;
                    readySnapshot = null;
                }
                if (snapshot == null) {
                    readInBackground(() -> readySnapshot = snapshots.get());
                    return;
                }
                out.onNext(snapshot);
                metrics.snapshotSent();
                sentRev = snapshot.revision;
                needSnapshot = false;
                syncPending = true;
                backlog = null;
            } else {
                Encoded next = nextDelta();
                if (next == null && needSnapshot) {
                    continue;
                }
                if (next == READING || (next == null && readPending)) {
                    // The worker signals when the change log has been read. Not "up to date": the
                    // read may already have finished (readPending false again) by the time we get
                    // here, and a Synced now would tell the agent it caught up before it did.
                    return;
                }
                if (next == null) {
                    if (syncPending) {
                        out.onNext(Encoded.of(ControlMessage.newBuilder().setSynced(Synced.newBuilder().setRevision(sentRev)).build(), sentRev));
                        syncPending = false;
                    }
                    return;
                }
                out.onNext(next);
                sentRev = next.revision;
                if (next.committedAtMillis > 0) {
                    metrics.pushed(System.currentTimeMillis() - next.committedAtMillis);
                }
            }
        }
        metrics.notReady();
    }

    /** Runs a database read on the worker pool, then pumps again. At most one at a time. */
    private void readInBackground(Runnable read) {
        if (readPending) {
            return;
        }
        readPending = true;
        registry.blocking().execute(() -> {
            try {
                read.run();
            } catch (RuntimeException e) {
                closeWith = Status.UNAVAILABLE.withDescription("cannot read the store: " + e.getMessage());
            } finally {
                readPending = false;
                signal();
            }
        });
    }

    /** The delta after sentRev, from the backlog, the ring or the change log; null when up to date. */
    private Encoded nextDelta() {
        if (backlog != null) {
            Encoded e = backlog.pollFirst();
            if (e != null) {
                return e;
            }
            backlog = null;
        }
        Encoded e = feed.after(sentRev);
        if (e != ChangeFeed.NOT_IN_RING) {
            return e;
        }
        List<Encoded> fromLog = readyBacklog;
        readyBacklog = null;
        if (fromLog == COMPACTED) {
            // Compacted away while this agent lagged or was gone: start over from a snapshot.
            needSnapshot = true;
            metrics.cutBackToSnapshot();
            return null;
        }
        if (fromLog == null || (!fromLog.isEmpty() && fromLog.get(0).revision != sentRev + 1)) {
            long held = sentRev;
            readInBackground(() -> {
                List<Encoded> read = feed.loadFromLog(held, LOG_BATCH);
                readyBacklog = read != null ? read : COMPACTED;
            });
            return READING;
        }
        if (fromLog.isEmpty()) {
            return null;
        }
        backlog = new ArrayDeque<>(fromLog);
        return backlog.pollFirst();
    }

    private void finish() {
        if (closed) {
            return;
        }
        closed = true;
        live = false;
        Status s = closeWith;
        try {
            if (s == null || s.isOk()) {
                out.onCompleted();
            } else {
                out.onError(s.asRuntimeException());
            }
        } catch (RuntimeException ignored) {
            // the call was already cancelled by the peer
        }
        registry.remove(this);
    }

    /** The stream ended from the agent's side (cancel, error, completion). */
    void ended() {
        closed = true;
        live = false;
        registry.remove(this);
    }
}
