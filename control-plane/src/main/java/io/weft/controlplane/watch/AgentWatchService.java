package io.weft.controlplane.watch;

import org.jboss.logging.Logger;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.weft.api.v1.AgentMessage;
import io.weft.api.v1.AgentServiceGrpc;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Hello;
import io.weft.api.v1.Host;
import io.weft.api.v1.Welcome;
import io.weft.controlplane.domain.HostManager;
import io.weft.controlplane.domain.PeerManager;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.model.Names;
import io.weft.controlplane.store.Database;
import jakarta.inject.Inject;

/**
 * weft.v1.AgentService/Watch. Bound by hand rather than through the generated base class so the
 * response marshaller can write pre-serialised messages (see {@link Encoded}); the method name,
 * schema and wire format are exactly those of the generated service, so reflection and clients
 * see no difference.
 */
@GrpcService
public class AgentWatchService implements BindableService {
    private static final Logger LOG = Logger.getLogger(AgentWatchService.class);
    public static final String VERSION = AgentWatchService.class.getPackage().getImplementationVersion() != null
            ? AgentWatchService.class.getPackage().getImplementationVersion()
            : "0.1.0-SNAPSHOT";

    @Inject
    WatchRegistry registry;
    @Inject
    HostManager hosts;
    @Inject
    PeerManager peers;
    @Inject
    Database database;

    @Override
    public ServerServiceDefinition bindService() {
        MethodDescriptor<AgentMessage, ControlMessage> generated = AgentServiceGrpc.getWatchMethod();
        MethodDescriptor<AgentMessage, Encoded> method = generated.toBuilder(generated.getRequestMarshaller(), Encoded.MARSHALLER).build();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(AgentServiceGrpc.SERVICE_NAME)
                .setSchemaDescriptor(AgentServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(method)
                .build();
        return ServerServiceDefinition.builder(service)
                .addMethod(method, ServerCalls.asyncBidiStreamingCall(this::watch))
                .build();
    }

    StreamObserver<AgentMessage> watch(StreamObserver<Encoded> responses) {
        ServerCallStreamObserver<Encoded> out = (ServerCallStreamObserver<Encoded>) responses;
        // Pump on the stream's own event loop (see Watcher); outside one (other transports), the fan-out pool.
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        java.util.concurrent.Executor loop = context != null && context.isEventLoopContext()
                ? task -> context.runOnContext(ignored -> task.run())
                : registry.fanout();
        Watcher watcher = new Watcher(out, registry, loop);
        registry.add(watcher);
        out.setOnReadyHandler(watcher::signal);
        out.setOnCancelHandler(watcher::ended);
        return new StreamObserver<>() {
            private boolean helloSeen;

            @Override
            public void onNext(AgentMessage message) {
                watcher.lastHeardMillis = System.currentTimeMillis();
                switch (message.getKindCase()) {
                    case HELLO -> {
                        if (helloSeen) {
                            reject(watcher, Status.FAILED_PRECONDITION.withDescription("Hello was already sent on this stream"));
                            return;
                        }
                        helloSeen = true;
                        Hello hello = message.getHello();
                        registry.blocking().execute(() -> hello(watcher, hello));
                    }
                    case HEARTBEAT -> {
                        // lastHeardMillis is all a heartbeat changes
                    }
                    case LINK_REPORT -> {
                        String host = watcher.host;
                        if (host == null) {
                            reject(watcher, Status.FAILED_PRECONDITION.withDescription("send Hello before reporting links"));
                            return;
                        }
                        // In order: a CONNECTING stored after the ESTABLISHED that followed it would
                        // hide a live link from every other host's route computation.
                        watcher.reports.add(message.getLinkReport().getLinksList());
                        if (watcher.reportsDraining.compareAndSet(false, true)) {
                            registry.blocking().execute(() -> drainReports(watcher, host));
                        }
                    }
                    default -> reject(watcher, Status.INVALID_ARGUMENT.withDescription("empty or unknown agent message"));
                }
            }

            @Override
            public void onError(Throwable t) {
                watcher.ended();
            }

            @Override
            public void onCompleted() {
                watcher.close(Status.OK);
                watcher.signal();
            }
        };
    }

    /** Stores one agent's link reports one at a time, in the order they arrived. */
    private void drainReports(Watcher watcher, String host) {
        do {
            java.util.List<io.weft.api.v1.LinkState> links;
            while ((links = watcher.reports.poll()) != null) {
                try {
                    peers.report(host, links);
                } catch (WeftException e) {
                    LOG.debugf("link report from %s refused: %s", host, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warnf("link report from %s failed: %s", host, e.getMessage());
                }
            }
            watcher.reportsDraining.set(false);
        } while (!watcher.reports.isEmpty() && watcher.reportsDraining.compareAndSet(false, true));
    }

    private void hello(Watcher watcher, Hello hello) {
        Host host;
        try {
            // Bind first: a disconnect of the host's previous stream then sees this one and does not
            // mark the host disconnected after register() marked it connected.
            registry.bind(watcher, Names.resourceName(hello.getHostName(), "host"));
            host = hosts.register(hello);
        } catch (WeftException e) {
            reject(watcher, Status.fromCode(e.kind().grpc).withDescription(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warn("registering host failed", e);
            reject(watcher, Status.UNAVAILABLE.withDescription("cannot register host: " + e.getMessage()));
            return;
        }
        long head = registry.feed().head();
        long since = hello.getSinceRevision();
        boolean sameStore = database.storeId().equals(hello.getStoreId());
        boolean snapshot = since <= 0 || !sameStore || since > head;
        Encoded welcome = Encoded.of(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder()
                .setPeerId(host.getPeerId())
                .setVersion(VERSION)
                .setRevision(head)
                .setStoreId(database.storeId())
                .setHeartbeatIntervalMs((int) registry.heartbeatMillis())).build(), 0);
        watcher.begin(welcome, snapshot ? 0 : since, snapshot);
        watcher.signal();
    }

    private static void reject(Watcher watcher, Status status) {
        watcher.close(status);
        watcher.signal();
    }
}
