package io.weft.controlplane.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.protobuf.ByteString;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.AgentServiceGrpc;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Heartbeat;
import io.weft.api.v1.Hello;
import io.weft.api.v1.LinkReport;
import io.weft.api.v1.LinkState;

/**
 * A simulated data plane on the watch stream: sends Hello, collects every ControlMessage, and
 * can stop reading (manual flow control) to play a slow agent.
 */
public final class AgentClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final LinkedBlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    private final List<ControlMessage> seen = new ArrayList<>();
    private volatile Status closedWith;
    private volatile ClientCallStreamObserver<AgentMessage> requests;

    private AgentClient() {
    }

    /** Opens a stream with the given token; {@code initialRequests} < 0 means read freely. */
    public static AgentClient open(TestApi api, String token, int initialRequests) {
        AgentClient c = new AgentClient();
        Metadata md = new Metadata();
        if (token != null) {
            md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        AgentServiceGrpc.newStub(api.channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .watch(new ClientResponseObserver<AgentMessage, ControlMessage>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<AgentMessage> stream) {
                        c.requests = stream;
                        if (initialRequests >= 0) {
                            stream.disableAutoRequestWithInitial(initialRequests);
                        }
                    }

                    @Override
                    public void onNext(ControlMessage value) {
                        c.received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        c.closedWith = Status.fromThrowable(t);
                    }

                    @Override
                    public void onCompleted() {
                        c.closedWith = Status.OK;
                    }
                });
        return c;
    }

    public static Hello hello(String host, long since, String storeId) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (host.hashCode() + i);
        }
        return Hello.newBuilder().setHostName(host).addUnderlayEndpoints("198.18.0." + (Math.abs(host.hashCode()) % 250 + 1) + ":6783")
                .setPublicKey(ByteString.copyFrom(key)).setSinceRevision(since).setStoreId(storeId == null ? "" : storeId)
                .addFeatures("encryption").setVersion("test").build();
    }

    /** Registers a host (Hello on a join-token stream), waits for Welcome, closes the stream. */
    public static io.weft.api.v1.Welcome register(TestApi api, String host) throws InterruptedException {
        try (AgentClient c = open(api, TestApi.JOIN, -1)) {
            c.sendHello(hello(host, 0, ""));
            ControlMessage m = c.nextNonHeartbeat();
            if (!m.hasWelcome()) {
                throw new AssertionError("expected Welcome, got " + m);
            }
            return m.getWelcome();
        }
    }

    /** Sends a heartbeat every 300 ms until closed, as a live data plane would. */
    public AgentClient keepAlive() {
        java.util.concurrent.ScheduledExecutorService t = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "test-agent-heartbeat");
            th.setDaemon(true);
            return th;
        });
        t.scheduleAtFixedRate(() -> {
            if (closedWith == null) {
                heartbeat(0);
            }
        }, 300, 300, TimeUnit.MILLISECONDS);
        ticker = t;
        return this;
    }

    private volatile java.util.concurrent.ScheduledExecutorService ticker;

    /** The stream is not thread-safe; the heartbeat timer and the test both send. */
    public synchronized void send(AgentMessage m) {
        requests.onNext(m);
    }

    public void sendHello(Hello h) {
        send(AgentMessage.newBuilder().setHello(h).build());
    }

    public void heartbeat(long revision) {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setRevision(revision)).build());
    }

    public void report(LinkState... links) {
        send(AgentMessage.newBuilder().setLinkReport(LinkReport.newBuilder().addAllLinks(List.of(links))).build());
    }

    /** Lets the server send {@code n} more messages (manual flow control only). */
    public void request(int n) {
        requests.request(n);
    }

    /** The next message, or fails after {@link #WAIT}. */
    public ControlMessage next() throws InterruptedException {
        ControlMessage m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message from the control plane within " + WAIT + (closedWith != null ? "; stream closed: " + closedWith : ""));
        }
        seen.add(m);
        return m;
    }

    /** Skips heartbeats. */
    public ControlMessage nextNonHeartbeat() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            ControlMessage m = next();
            if (!m.hasHeartbeat()) {
                return m;
            }
        }
        throw new AssertionError("only heartbeats from the control plane (100 in a row)");
    }

    /** Reads until a message matches, returning everything read (heartbeats excluded) including it. */
    public List<ControlMessage> readUntil(Predicate<ControlMessage> stop) throws InterruptedException {
        List<ControlMessage> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ControlMessage m = nextNonHeartbeat();
            out.add(m);
            if (stop.test(m)) {
                return out;
            }
        }
        throw new AssertionError("no matching message in 100000");
    }

    /** Waits for the stream to end and returns its status. */
    public Status awaitClose() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (closedWith == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (closedWith == null) {
            throw new AssertionError("stream still open after " + WAIT);
        }
        return closedWith;
    }

    public Status closedWith() {
        return closedWith;
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        ClientCallStreamObserver<AgentMessage> r = requests;
        if (r != null && closedWith == null) {
            r.cancel("test done", null);
        }
    }
}
