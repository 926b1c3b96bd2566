package io.weft.bench;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.Heartbeat;
import io.weft.api.v1.Hello;

/**
 * One simulated data plane: its own connection, one Watch stream. Sends Hello, follows Welcome /
 * Snapshot / Synced / Deltas, heartbeats every heartbeat_interval_ms from Welcome, and checks that
 * deltas arrive in revision order, each exactly once.
 *
 * <p>Responses are handled on the connection's event loop; sends (Hello, heartbeats, close) are
 * serialised on this object, since a gRPC stream must not be written from two threads at once.
 */
final class SimAgent implements ClientResponseObserver<AgentMessage, ControlFrame> {
    /** What the watch bench wants to hear about. */
    interface Events {
        void synced(SimAgent agent);

        void ended(SimAgent agent, boolean wasSynced);

        void delta(SimAgent agent, long revision, long nanos);
    }

    final int index;
    final String hostName;
    private final ManagedChannel channel;
    private final Events events;
    private final ScheduledExecutorService heartbeats;

    private ClientCallStreamObserver<AgentMessage> requests;
    private ScheduledFuture<?> heartbeatTask;

    final long openedNanos;
    volatile long syncedNanos;
    volatile long heldRevision;
    volatile boolean synced;
    volatile boolean ended;
    volatile Status endStatus;
    volatile int heartbeatIntervalMs;

    // Written on the event loop only.
    long snapshots;
    long deltas;
    long deltaBytes;
    long snapshotBytes;
    long outOfOrder;
    long resyncs;
    long serverHeartbeats;

    SimAgent(int index, ManagedChannel channel, Channel authed, Events events, ScheduledExecutorService heartbeats) {
        this.index = index;
        this.hostName = "bench-" + index;
        this.channel = channel;
        this.events = events;
        this.heartbeats = heartbeats;
        this.openedNanos = System.nanoTime();
        ClientCalls.asyncBidiStreamingCall(authed.newCall(ControlCodec.WATCH, CallOptions.DEFAULT), this);
    }

    /** Sends Hello as a fresh agent: since_revision 0, no store id, so the control plane sends a snapshot. */
    void hello() {
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        send(AgentMessage.newBuilder().setHello(Hello.newBuilder()
                .setHostName(hostName)
                .addUnderlayEndpoints("127.0.0.1:" + (10000 + index % 50000))
                .setPublicKey(ByteString.copyFrom(key))
                .setSinceRevision(0)
                .setStoreId("")
                .setVersion("weft-bench")).build());
    }

    ManagedChannel channel() {
        return channel;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
        this.requests = requestStream;
    }

    @Override
    public void onNext(ControlFrame f) {
        switch (f.kind()) {
            case WELCOME -> {
                heartbeatIntervalMs = Math.max(100, f.welcome().getHeartbeatIntervalMs());
                startHeartbeats();
            }
            case SNAPSHOT -> {
                snapshots++;
                snapshotBytes += f.bytes();
                heldRevision = f.revision();
            }
            case DELTA -> {
                deltas++;
                deltaBytes += f.bytes();
                long held = heldRevision;
                if (f.revision() != held + 1) {
                    outOfOrder++;
                }
                heldRevision = f.revision();
                if (synced) {
                    events.delta(this, f.revision(), System.nanoTime());
                }
            }
            case SYNCED -> {
                heldRevision = f.revision();
                if (!synced) {
                    syncedNanos = System.nanoTime();
                    synced = true;
                    events.synced(this);
                } else {
                    resyncs++;
                }
            }
            case HEARTBEAT -> serverHeartbeats++;
            default -> {
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        end(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end(Status.OK.withDescription("server completed the stream"));
    }

    private void end(Status status) {
        if (ended) {
            return;
        }
        endStatus = status;
        ended = true;
        ScheduledFuture<?> hb = heartbeatTask;
        if (hb != null) {
            hb.cancel(false);
        }
        events.ended(this, synced);
    }

    private synchronized void startHeartbeats() {
        if (heartbeatTask != null || ended) {
            return;
        }
        long every = heartbeatIntervalMs;
        long first = ThreadLocalRandom.current().nextLong(every / 2, every);
        heartbeatTask = heartbeats.scheduleAtFixedRate(this::heartbeat, first, every, TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setRevision(heldRevision).setSentAt(now())).build());
    }

    private static Timestamp now() {
        long ms = System.currentTimeMillis();
        return Timestamp.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
    }

    private synchronized void send(AgentMessage m) {
        if (ended || requests == null) {
            return;
        }
        try {
            requests.onNext(m);
        } catch (RuntimeException e) {
            // the call is already closed; onError reports why
        }
    }

    /** Ends the stream from the agent's side (half-close, then the connection goes). */
    synchronized void close() {
        ScheduledFuture<?> hb = heartbeatTask;
        if (hb != null) {
            hb.cancel(false);
        }
        if (!ended && requests != null) {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
