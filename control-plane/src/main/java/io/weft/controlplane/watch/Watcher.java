package io.weft.controlplane.watch;

import java.util.ArrayDeque;
import java.util.List;
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
 */
final class Watcher {
    private static final int LOG_BATCH = 512;

    private final ServerCallStreamObserver<Encoded> out;
    private final WatchRegistry registry;
    private final AtomicInteger wip = new AtomicInteger();

    volatile String host;
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

    Watcher(ServerCallStreamObserver<Encoded> out, WatchRegistry registry) {
        this.out = out;
        this.registry = registry;
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

    /** Schedules a pump on the fan-out pool unless one is pending or running. */
    void signal() {
        if (wip.getAndIncrement() == 0) {
            registry.fanout().execute(this::drain);
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
                        .setRevision(registry.feed().head()).setSentAt(Timestamps.fromMillis(now))).build(), 0));
            } else if (needSnapshot) {
                Encoded snapshot = registry.snapshots().get();
                out.onNext(snapshot);
                registry.metrics().snapshotSent();
                sentRev = snapshot.revision;
                needSnapshot = false;
                syncPending = true;
                backlog = null;
            } else {
                Encoded next = nextDelta();
                if (next == null && needSnapshot) {
                    continue;
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
                    registry.metrics().pushed(System.currentTimeMillis() - next.committedAtMillis);
                }
            }
        }
        registry.metrics().notReady();
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
        Encoded e = registry.feed().after(sentRev);
        if (e != ChangeFeed.NOT_IN_RING) {
            return e;
        }
        List<Encoded> fromLog = registry.feed().loadFromLog(sentRev, LOG_BATCH);
        if (fromLog == null) {
            // Compacted away while this agent lagged or was gone: start over from a snapshot.
            needSnapshot = true;
            registry.metrics().cutBackToSnapshot();
            return null;
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
