package io.weft.controlplane.grpc;

import static io.weft.controlplane.support.TestApi.ADMIN;
import static io.weft.controlplane.support.TestApi.JOIN;
import static io.weft.controlplane.support.TestApi.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.DeleteNetworkRequest;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.EndpointServiceGrpc;
import io.weft.api.v1.GetInfoRequest;
import io.weft.api.v1.GetNetworkRequest;
import io.weft.api.v1.ListNetworksRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkServiceGrpc;
import io.weft.api.v1.SystemServiceGrpc;
import io.weft.controlplane.support.AgentClient;
import io.weft.controlplane.support.TestApi;
import io.weft.controlplane.support.Unique;

@QuarkusTest
class NetworkGrpcTest {
    @TestHTTPResource("/")
    URL url;

    TestApi api;
    NetworkServiceGrpc.NetworkServiceBlockingStub admin;
    SystemServiceGrpc.SystemServiceBlockingStub system;

    @BeforeEach
    void open() {
        api = new TestApi(url);
        admin = withToken(NetworkServiceGrpc.newBlockingStub(api.channel), ADMIN);
        system = withToken(SystemServiceGrpc.newBlockingStub(api.channel), ADMIN);
    }

    @AfterEach
    void close() throws InterruptedException {
        api.close();
    }

    long revision() {
        return system.getInfo(GetInfoRequest.getDefaultInstance()).getRevision();
    }

    /** Runs a call that must fail with {@code code} and a message containing {@code text}, changing nothing. */
    void refused(Status.Code code, String text, Executable call) {
        long before = revision();
        int networksBefore = admin.listNetworks(ListNetworksRequest.getDefaultInstance()).getNetworksCount();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(text), "message '" + e.getStatus().getDescription() + "' should mention " + text);
        assertEquals(before, revision(), "a refused call must not change the store");
        assertEquals(networksBefore, admin.listNetworks(ListNetworksRequest.getDefaultInstance()).getNetworksCount());
    }

    @Test
    void createGetListDelete() {
        String name = Unique.name("net");
        Network created = admin.createNetwork(CreateNetworkRequest.newBuilder().setName(name).setCidr("100.65.7.0/24")
                .setDnsDomain("Blue.Example").build());
        try {
            assertEquals(name, created.getName());
            assertEquals("blue.example", created.getDnsDomain(), "domains are stored lower case");
            assertTrue(created.getIsolationId() > 0);
            assertEquals(created, admin.getNetwork(GetNetworkRequest.newBuilder().setName(name).build()));
            assertTrue(admin.listNetworks(ListNetworksRequest.getDefaultInstance()).getNetworksList().contains(created));
        } finally {
            admin.deleteNetwork(DeleteNetworkRequest.newBuilder().setName(name).build());
        }
        refused(Status.Code.NOT_FOUND, name, () -> admin.getNetwork(GetNetworkRequest.newBuilder().setName(name).build()));
    }

    @Test
    void defaultNetworkExistsWithTheDefaultRange() {
        Network n = admin.getNetwork(GetNetworkRequest.newBuilder().setName("default").build());
        assertEquals("100.96.0.0/12", n.getCidr());
        assertEquals("weave.local", n.getDnsDomain());
    }

    @Test
    void malformedCidrsAreRefused() {
        for (String cidr : new String[] { "100.64.0.0", "100.64.0.0/33", "100.64.0.0/4", "100.64.0.1/24", "100.64.0/24", "banana/24", "" }) {
            refused(Status.Code.INVALID_ARGUMENT, "CIDR", () -> admin.createNetwork(
                    CreateNetworkRequest.newBuilder().setName(Unique.name("bad")).setCidr(cidr).build()));
        }
    }

    @Test
    void overlappingNetworkIsRefusedAndNamesTheOther() {
        Network first = Unique.network(admin, "ov", 24);
        String inside = first.getCidr().replace(".0/24", ".128/25");
        refused(Status.Code.FAILED_PRECONDITION, first.getName(), () -> admin.createNetwork(
                CreateNetworkRequest.newBuilder().setName(Unique.name("ov2")).setCidr(inside).build()));
        refused(Status.Code.FAILED_PRECONDITION, "overlaps", () -> admin.createNetwork(
                CreateNetworkRequest.newBuilder().setName(Unique.name("ov3")).setCidr("100.64.0.0/10").build()));
    }

    @Test
    void badNamesAndDuplicatesAreRefused() {
        Network n = Unique.network(admin, "dup", 24);
        refused(Status.Code.ALREADY_EXISTS, "already exists", () -> admin.createNetwork(
                CreateNetworkRequest.newBuilder().setName(n.getName()).setCidr("100.95.250.0/24").build()));
        refused(Status.Code.INVALID_ARGUMENT, "at most 63", () -> admin.createNetwork(
                CreateNetworkRequest.newBuilder().setName("n".repeat(64)).setCidr("100.95.251.0/24").build()));
        refused(Status.Code.INVALID_ARGUMENT, "invalid", () -> admin.createNetwork(
                CreateNetworkRequest.newBuilder().setName("no spaces").setCidr("100.95.251.0/24").build()));
        refused(Status.Code.INVALID_ARGUMENT, "empty", () -> admin.createNetwork(
                CreateNetworkRequest.newBuilder().setCidr("100.95.251.0/24").build()));
        refused(Status.Code.ALREADY_EXISTS, "isolation id", () -> admin.createNetwork(CreateNetworkRequest.newBuilder()
                .setName(Unique.name("iso")).setCidr("100.95.252.0/24").setIsolationId(n.getIsolationId()).build()));
        refused(Status.Code.INVALID_ARGUMENT, "out of range", () -> admin.createNetwork(CreateNetworkRequest.newBuilder()
                .setName(Unique.name("iso")).setCidr("100.95.252.0/24").setIsolationId(1 << 24).build()));
        refused(Status.Code.INVALID_ARGUMENT, "DNS domain", () -> admin.createNetwork(CreateNetworkRequest.newBuilder()
                .setName(Unique.name("dom")).setCidr("100.95.252.0/24").setDnsDomain("bad domain").build()));
    }

    @Test
    void networkWithEndpointsCannotBeDeleted() throws Exception {
        Network n = Unique.network(admin, "busy", 24);
        String host = Unique.name("h");
        AgentClient.register(api, host);
        var endpoints = withToken(EndpointServiceGrpc.newBlockingStub(api.channel), JOIN);
        endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("c1").build());
        refused(Status.Code.FAILED_PRECONDITION, "detach", () -> admin.deleteNetwork(DeleteNetworkRequest.newBuilder().setName(n.getName()).build()));
        endpoints.detach(DetachRequest.newBuilder().setContainerId("c1").setNetwork(n.getName()).build());
        admin.deleteNetwork(DeleteNetworkRequest.newBuilder().setName(n.getName()).build());
    }

    @Test
    void tokensAreChecked() {
        var anonymous = withToken(NetworkServiceGrpc.newBlockingStub(api.channel), null);
        var wrong = withToken(NetworkServiceGrpc.newBlockingStub(api.channel), "not-a-token");
        var join = withToken(NetworkServiceGrpc.newBlockingStub(api.channel), JOIN);
        CreateNetworkRequest req = CreateNetworkRequest.newBuilder().setName(Unique.name("auth")).setCidr("100.95.253.0/24").build();
        refused(Status.Code.UNAUTHENTICATED, "token", () -> anonymous.createNetwork(req));
        refused(Status.Code.UNAUTHENTICATED, "token", () -> wrong.listNetworks(ListNetworksRequest.getDefaultInstance()));
        refused(Status.Code.PERMISSION_DENIED, "admin token", () -> join.createNetwork(req));
        // the join token may read
        assertTrue(join.listNetworks(ListNetworksRequest.getDefaultInstance()).getNetworksCount() > 0);
    }
}
