package io.weft.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.AgentServiceGrpc;
import io.weft.api.v1.Change;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Delta;
import io.weft.api.v1.Hello;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Snapshot;
import io.weft.api.v1.Synced;
import io.weft.api.v1.Welcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch client against a fake control plane speaking agent.proto's protocol over a real gRPC
 * server: snapshot + synced, live deltas, heartbeats, link reports, and resuming from the held
 * revision after the stream drops.
 */
class WatchClientTest {
    /** A scripted AgentService: answers Hello as the real one does and records what it hears. */
    static final class FakeControlPlane extends AgentServiceGrpc.AgentServiceImplBase {
        final List<Hello> hellos = new CopyOnWriteArrayList<>();
        final List<AgentMessage> heard = new CopyOnWriteArrayList<>();
        final List<String> tokens = new CopyOnWriteArrayList<>();
        volatile StreamObserver<ControlMessage> current;
        volatile long head = 10;

        @Override
        public StreamObserver<AgentMessage> watch(StreamObserver<ControlMessage> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage m) {
                    heard.add(m);
                    if (!m.hasHello()) {
                        return;
                    }
                    Hello h = m.getHello();
                    hellos.add(h);
                    synchronized (FakeControlPlane.this) {
                        current = out;
                        out.onNext(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder().setPeerId(7).setStoreId("s1")
                                .setRevision(head).setHeartbeatIntervalMs(200)).build());
                        if (h.getSinceRevision() == 0 || !h.getStoreId().equals("s1")) {
                            out.onNext(ControlMessage.newBuilder().setSnapshot(Fixtures.snapshot()).build());
                        } else {
                            for (long r = h.getSinceRevision() + 1; r <= head; r++) {
                                out.onNext(ControlMessage.newBuilder().setDelta(delta(r)).build());
                            }
                        }
                        out.onNext(ControlMessage.newBuilder().setSynced(Synced.newBuilder().setRevision(head)).build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }

        static Delta delta(long r) {
            return Fixtures.delta(r, Change.newBuilder().setNetworkUpserted(Fixtures.network("n" + r, "100.64." + r + ".0/24", (int) r)).build());
        }

        synchronized void publish() {
            head++;
            current.onNext(ControlMessage.newBuilder().setDelta(delta(head)).build());
        }

        synchronized void drop() {
            current.onError(Status.UNAVAILABLE.withDescription("test drops the stream").asRuntimeException());
        }
    }

    /** The daemon's part, reduced to a model and a record of events. */
    static final class Recorder implements WatchClient.Handler {
        final TopologyModel model = new TopologyModel();
        volatile String storeId = "";
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public Hello hello() {
            return Hello.newBuilder().setHostName("h1").addUnderlayEndpoints("198.18.0.11:6783")
                    .setSinceRevision(storeId.isEmpty() ? 0 : model.revision()).setStoreId(storeId).build();
        }

        @Override
        public void onWelcome(Welcome w) {
            storeId = w.getStoreId();
            events.add("welcome " + w.getPeerId());
        }

        @Override
        public void onSnapshot(Snapshot s) {
            model.apply(s);
            events.add("snapshot " + s.getRevision());
        }

        @Override
        public void onDelta(Delta d) {
            model.apply(d);
            events.add("delta " + d.getRevision());
        }

        @Override
        public void onSynced(long revision) {
            events.add("synced " + revision);
        }

        @Override
        public void onControlRevision(long revision) {
        }

        @Override
        public void onDisconnected(String reason) {
            events.add("disconnected");
        }

        @Override
        public List<LinkState> currentLinks() {
            return List.of(Fixtures.link("h1", "h2", LinkState.State.ESTABLISHED));
        }

        @Override
        public long heldRevision() {
            return model.revision();
        }

        List<String> until(String event) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                String e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null) {
                    seen.add(e);
                    if (e.equals(event)) {
                        return seen;
                    }
                }
            }
            throw new AssertionError("no '" + event + "' within 15 s; saw " + seen);
        }
    }

    final FakeControlPlane fake = new FakeControlPlane();
    Server server;
    ControlPlaneChannel cp;
    WatchClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (cp != null) {
            cp.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void syncsFollowsAndResumesFromItsRevision() throws Exception {
        ServerInterceptor tokenRecorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                fake.tokens.add(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forPort(0).addService(ServerInterceptors.intercept(fake, tokenRecorder)).build().start();
        cp = new ControlPlaneChannel("http://127.0.0.1:" + server.getPort(), "join-secret");
        Recorder rec = new Recorder();
        client = new WatchClient(cp, rec, 50, 500);
        client.start();

        assertEquals(List.of("welcome 7", "snapshot 10", "synced 10"), rec.until("synced 10"));
        assertTrue(client.synced());
        assertEquals("Bearer join-secret", fake.tokens.get(0));
        assertEquals(0, fake.hellos.get(0).getSinceRevision());

        fake.publish();
        assertEquals(List.of("delta 11"), rec.until("delta 11"));

        client.report(List.of(Fixtures.link("h1", "h3", LinkState.State.DOWN)));
        await("heartbeats and link reports", () -> fake.heard.stream().anyMatch(AgentMessage::hasHeartbeat)
                && fake.heard.stream().filter(AgentMessage::hasLinkReport).count() >= 2);

        fake.drop();
        fake.head = 13; // two revisions happen while the agent is away
        List<String> seen = rec.until("synced 13");
        assertEquals(List.of("disconnected", "welcome 7", "delta 12", "delta 13", "synced 13"), seen);
        Hello second = fake.hellos.get(1);
        assertEquals(11, second.getSinceRevision(), "resumes from the held revision");
        assertEquals("s1", second.getStoreId());
        assertEquals(13, rec.model.revision());
    }

    @Test
    void reconnectsWhenTheControlPlaneComesBack() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cp = new ControlPlaneChannel("http://127.0.0.1:" + port, "t");
        Recorder rec = new Recorder();
        client = new WatchClient(cp, rec, 50, 300);
        client.start();
        rec.until("disconnected");
        Thread.sleep(1500); // several failed attempts: grpc's own back-off would have grown by now
        long start = System.nanoTime();
        server = NettyServerBuilder.forPort(port).addService(fake).build().start();
        rec.until("synced 10");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 3000, "re-joined " + millis + " ms after the control plane came back");
    }
}
