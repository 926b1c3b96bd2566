package io.weft.cli;

import io.grpc.Server;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.InsecureServerCredentials;
import io.grpc.stub.StreamObserver;
import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.LocalConnection;
import io.weft.api.v1.LocalPeer;
import io.weft.api.v1.LocalPsEntry;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalPsResponse;
import io.weft.api.v1.LocalServiceGrpc;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.api.v1.NetworkUsage;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The class-data-sharing training run the launcher makes once (bin/weft): runs the common verbs
 * against a throwaway in-process-style server on a loopback port, so the archive holds the classes
 * a real 'weft status' or 'weft ps' loads (gRPC, OkHttp, protobuf, JSON, picocli), not only those
 * of whatever command happened to run first. Prints nothing.
 */
public final class Training {
    private Training() {
    }

    static final class Canned extends LocalServiceGrpc.LocalServiceImplBase {
        @Override
        public void status(LocalStatusRequest request, StreamObserver<LocalStatus> out) {
            out.onNext(LocalStatus.newBuilder().setVersion("training").setHostName("h").setPeerId(1).setSynced(true)
                    .addPeers(LocalPeer.newBuilder().setName("p").setPeerId(2))
                    .addConnections(LocalConnection.newBuilder().setPeer("p").setPeerId(2).setState(LinkState.State.ESTABLISHED))
                    .putDrops("TRAINING", 1).build());
            out.onCompleted();
        }

        @Override
        public void ps(LocalPsRequest request, StreamObserver<LocalPsResponse> out) {
            out.onNext(LocalPsResponse.newBuilder().addEntries(LocalPsEntry.newBuilder().setContainerId("netns:x").setIp("100.96.0.1")
                    .setPrefixLength(12).setMac("aa:bb:cc:dd:ee:ff")).build());
            out.onCompleted();
        }

        @Override
        public void ipamStatus(IpamStatusRequest request, StreamObserver<IpamStatusResponse> out) {
            out.onNext(IpamStatusResponse.newBuilder().addNetworks(NetworkUsage.newBuilder().setNetwork("default").setCidr("100.96.0.0/12")
                    .setTotal(10).setUsed(1)).build());
            out.onCompleted();
        }
    }

    public static void main(String[] args) throws Exception {
        Server server = OkHttpServerBuilder.forPort(0, InsecureServerCredentials.create()).addService(new Canned()).build().start();
        String api = "127.0.0.1:" + server.getPort();
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        try {
            for (String[] a : new String[][] {{"status"}, {"status", "--json"}, {"status", "peers"}, {"status", "connections"},
                    {"ps"}, {"ps", "--json"}, {"version"}, {"attach", "--help"}, {"nosuchverb"}}) {
                String[] argv = new String[a.length + 2];
                System.arraycopy(a, 0, argv, 0, a.length);
                argv[a.length] = "--api";
                argv[a.length + 1] = api;
                CommandLine cl = Weft.commandLine();
                cl.setOut(sink);
                cl.setErr(sink);
                cl.execute(argv);
            }
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
