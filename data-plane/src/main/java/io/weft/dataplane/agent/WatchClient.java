package io.weft.dataplane.agent;

import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.AgentServiceGrpc;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Delta;
import io.weft.api.v1.Heartbeat;
import io.weft.api.v1.Hello;
import io.weft.api.v1.LinkReport;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Snapshot;
import io.weft.api.v1.Welcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent side of {@code AgentService/Watch} (see agent.proto): one thread that connects, sends
 * Hello, hands Welcome / Snapshot / Delta / Synced to the {@link Handler}, sends heartbeats every
 * Welcome.heartbeat_interval_ms and queued LinkReports, closes a stream the control plane has been
 * silent on for three intervals, and reconnects with a bounded exponential back-off (reset after
 * each successful sync). Every message is handled on this one thread, in stream order.
 */
public final class WatchClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WatchClient.class.getName());

    /** What the daemon does with the stream. Called on the watch thread only. */
    public interface Handler {
        /** The Hello for a new stream (since_revision and store id of the state held now). */
        Hello hello();

        void onWelcome(Welcome welcome);

        void onSnapshot(Snapshot snapshot);

        void onDelta(Delta delta);

        void onSynced(long revision);

        /** The control plane's newest revision, from its heartbeats. */
        void onControlRevision(long revision);

        /** The stream ended (or could not start); the client will retry. */
        void onDisconnected(String reason);

        /** Link states to report right after a (re)connect: all current ones. */
        List<LinkState> currentLinks();

        /** Held revision, for heartbeats. */
        long heldRevision();
    }

    private record End(Status status) {
    }

    private final ControlPlaneChannel cp;
    private final Handler handler;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;
    private final LinkedBlockingQueue<List<LinkState>> outbound = new LinkedBlockingQueue<>(1024);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile boolean synced;
    private volatile String lastError = "not connected yet";
    private String lastLogged = "";
    private volatile ClientCallStreamObserver<AgentMessage> current;

    public WatchClient(ControlPlaneChannel cp, Handler handler, long minBackoffMillis, long maxBackoffMillis) {
        this.cp = cp;
        this.handler = handler;
        this.minBackoffMillis = minBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.thread = new Thread(this::loop, "weft-watch");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether a stream is open and Welcome was received. */
    public boolean connected() {
        return connected;
    }

    /** Whether the current stream delivered Synced. */
    public boolean synced() {
        return synced;
    }

    public String lastError() {
        return lastError;
    }

    /** Queues link states for the control plane; dropped (and re-sent on reconnect) while disconnected. */
    public void report(List<LinkState> links) {
        if (connected && !links.isEmpty()) {
            outbound.offer(links);
        }
    }

    private void loop() {
        int failures = 0;
        while (running) {
            boolean reachedSync;
            try {
                reachedSync = runStream();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "watch stream failed", e);
                lastError = String.valueOf(e.getMessage());
                reachedSync = false;
            }
            connected = false;
            synced = false;
            if (!running) {
                break;
            }
            handler.onDisconnected(lastError);
            failures = reachedSync ? 0 : failures + 1;
            long delay = Math.min(maxBackoffMillis, minBackoffMillis << Math.min(failures, 16));
            delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** One stream, from Hello to its end. Returns whether it got as far as Synced. */
    private boolean runStream() {
        LinkedBlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
        cp.resetBackoff();
        outbound.clear();
        AgentServiceGrpc.AgentServiceStub stub = cp.withAuth(AgentServiceGrpc.newStub(cp.channel()), 0);
        stub.watch(new ClientResponseObserver<AgentMessage, ControlMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
                current = requestStream;
            }

            @Override
            public void onNext(ControlMessage value) {
                inbound.add(value);
            }

            @Override
            public void onError(Throwable t) {
                inbound.add(new End(Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                inbound.add(new End(Status.UNAVAILABLE.withDescription("control plane closed the stream")));
            }
        });
        ClientCallStreamObserver<AgentMessage> out = current;
        boolean reachedSync = false;
        try {
            out.onNext(AgentMessage.newBuilder().setHello(handler.hello()).build());
            long interval = 5_000;
            long lastHeard = System.currentTimeMillis();
            long lastSent = lastHeard;
            boolean welcomed = false;
            while (running) {
                long now = System.currentTimeMillis();
                if (welcomed && now - lastSent >= interval) {
                    out.onNext(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                            .setRevision(handler.heldRevision()).setSentAt(Timestamps.fromMillis(now))).build());
                    lastSent = now;
                }
                long silence = welcomed ? 3 * interval : 15_000; // Hello to Welcome: registration may take a moment
                if (now - lastHeard > silence) {
                    lastError = "control plane silent for " + (now - lastHeard) + " ms";
                    out.cancel(lastError, null);
                    return reachedSync;
                }
                List<LinkState> links;
                while ((links = outbound.poll()) != null) {
                    out.onNext(AgentMessage.newBuilder().setLinkReport(LinkReport.newBuilder().addAllLinks(links)).build());
                }
                Object m;
                try {
                    m = inbound.poll(Math.max(10, Math.min(200, interval - (now - lastSent))), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    out.cancel("shutting down", null);
                    return reachedSync;
                }
                if (m == null) {
                    continue;
                }
                if (m instanceof End end) {
                    Status s = end.status();
                    lastError = describe(s);
                    if (s.getCode() == Status.Code.UNAUTHENTICATED || s.getCode() == Status.Code.PERMISSION_DENIED) {
                        LOG.severe("control plane " + cp.url() + " refused the join token: " + s.getDescription()
                                + " — set weft.join-token (WEFT_JOIN_TOKEN) to the control plane's join token");
                    } else if (!lastError.equals(lastLogged)) {
                        LOG.info("watch stream to " + cp.url() + " ended: " + lastError + " (retrying)");
                    }
                    lastLogged = lastError;
                    return reachedSync;
                }
                lastHeard = System.currentTimeMillis();
                ControlMessage cm = (ControlMessage) m;
                switch (cm.getKindCase()) {
                    case WELCOME -> {
                        Welcome w = cm.getWelcome();
                        if (w.getHeartbeatIntervalMs() > 0) {
                            interval = w.getHeartbeatIntervalMs();
                        }
                        welcomed = true;
                        connected = true;
                        lastLogged = "";
                        lastError = "";
                        handler.onWelcome(w);
                        handler.onControlRevision(w.getRevision());
                        List<LinkState> all = handler.currentLinks();
                        if (!all.isEmpty()) {
                            out.onNext(AgentMessage.newBuilder().setLinkReport(LinkReport.newBuilder().addAllLinks(all)).build());
                        }
                    }
                    case SNAPSHOT -> handler.onSnapshot(cm.getSnapshot());
                    case DELTA -> handler.onDelta(cm.getDelta());
                    case SYNCED -> {
                        synced = true;
                        reachedSync = true;
                        handler.onSynced(cm.getSynced().getRevision());
                    }
                    case HEARTBEAT -> handler.onControlRevision(cm.getHeartbeat().getRevision());
                    default -> {
                        // a newer control plane's message kind: ignore
                    }
                }
            }
            out.cancel("shutting down", null);
            return reachedSync;
        } catch (RuntimeException e) {
            lastError = String.valueOf(e.getMessage());
            try {
                out.cancel("agent error: " + e.getMessage(), e);
            } catch (RuntimeException ignored) {
                // already closed
            }
            if (!(e instanceof io.grpc.StatusRuntimeException)) {
                LOG.log(Level.WARNING, "handling the watch stream failed", e);
            }
            return reachedSync;
        }
    }

    private static String describe(Status s) {
        String d = s.getDescription();
        Throwable c = s.getCause();
        return s.getCode() + (d != null ? ": " + d : "") + (c != null && d == null ? ": " + c.getMessage() : "");
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A copy of the pending outbound reports (tests). */
    List<List<LinkState>> pending() {
        return new ArrayList<>(outbound);
    }
}
