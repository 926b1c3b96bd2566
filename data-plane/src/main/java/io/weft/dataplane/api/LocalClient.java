package io.weft.dataplane.api;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.weft.api.v1.LocalAttachRequest;
import io.weft.api.v1.LocalConnectRequest;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalExposeRequest;
import io.weft.api.v1.LocalForgetRequest;
import io.weft.api.v1.LocalHideRequest;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalResetRequest;
import io.weft.api.v1.LocalServiceGrpc;
import io.weft.api.v1.LocalStatusRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal client of the local API, printing answers as JSON: what the end-to-end harness drives
 * the daemon with until the {@code weft} CLI (issue 6) exists. Run with the daemon's class path:
 * <pre>
 *   java -cp 'quarkus-app/app/*:quarkus-app/lib/main/*' io.weft.dataplane.api.LocalClient [--api HOST:PORT] VERB ...
 *   attach TARGET [--network N] [--ip IP] [--name DNS] [--container-id ID]
 *   detach TARGET [--network N] [--container-id ID]
 *   expose [--network N] [--ip IP] | hide [--network N] [--ip IP]
 *   connect ADDR... | forget ADDR... | status | ps | reset [--leave] | launch-dns | stop-dns
 * </pre>
 * Exit code 0 on success; 1 with the error's status and message on stderr.
 */
public final class LocalClient {
    private LocalClient() {
    }

    public static void main(String[] argv) throws Exception {
        String api = System.getenv().getOrDefault("WEFT_API", "127.0.0.1:6784");
        List<String> args = new ArrayList<>(List.of(argv));
        if (args.size() >= 2 && args.get(0).equals("--api")) {
            api = args.get(1);
            args = args.subList(2, args.size());
        }
        if (args.isEmpty()) {
            System.err.println("usage: LocalClient [--api HOST:PORT] attach|detach|expose|hide|connect|forget|status|ps|reset ...");
            System.exit(2);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        String[] hp = api.split(":");
        ManagedChannel ch = NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext().build();
        int code = 0;
        try {
            LocalServiceGrpc.LocalServiceBlockingStub s = LocalServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
            Message answer = switch (verb) {
                case "attach" -> s.attach(LocalAttachRequest.newBuilder().setTarget(positional(rest))
                        .setNetwork(opt(rest, "--network")).setIp(opt(rest, "--ip")).setContainerId(opt(rest, "--container-id"))
                        .addAllDnsNames(opt(rest, "--name").isEmpty() ? List.of() : List.of(opt(rest, "--name"))).build());
                case "detach" -> s.detach(LocalDetachRequest.newBuilder().setTarget(positional(rest))
                        .setNetwork(opt(rest, "--network")).setContainerId(opt(rest, "--container-id")).build());
                case "expose" -> s.expose(LocalExposeRequest.newBuilder().setNetwork(opt(rest, "--network")).setIp(opt(rest, "--ip")).build());
                case "hide" -> s.hide(LocalHideRequest.newBuilder().setNetwork(opt(rest, "--network")).setIp(opt(rest, "--ip")).build());
                case "connect" -> s.connect(LocalConnectRequest.newBuilder().addAllAddresses(rest).build());
                case "forget" -> s.forget(LocalForgetRequest.newBuilder().addAllAddresses(rest).build());
                case "status" -> s.status(LocalStatusRequest.getDefaultInstance());
                case "ps" -> s.ps(LocalPsRequest.newBuilder().addAllContainers(rest).build());
                case "reset" -> s.reset(LocalResetRequest.newBuilder().setLeave(rest.contains("--leave")).build());
                case "launch-dns" -> s.launchDns(io.weft.api.v1.LocalLaunchDnsRequest.getDefaultInstance());
                case "stop-dns" -> s.stopDns(io.weft.api.v1.LocalStopDnsRequest.getDefaultInstance());
                default -> throw new IllegalArgumentException("unknown verb '" + verb + "'");
            };
            System.out.println(JsonFormat.printer().print(answer));
        } catch (StatusRuntimeException e) {
            System.err.println("weft: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            code = 1;
        } catch (IllegalArgumentException e) {
            System.err.println("weft: " + e.getMessage());
            code = 2;
        } finally {
            ch.shutdownNow();
        }
        System.exit(code);
    }

    private static String positional(List<String> a) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).startsWith("--")) {
                i++;
                continue;
            }
            return a.get(i);
        }
        throw new IllegalArgumentException("missing TARGET (netns:NAME or pid:N)");
    }

    private static String opt(List<String> a, String name) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : "";
    }
}
