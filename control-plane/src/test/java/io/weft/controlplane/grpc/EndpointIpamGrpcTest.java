package io.weft.controlplane.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.Allocation;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.ClaimRequest;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.GetEndpointRequest;
import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.ListAllocationsRequest;
import io.weft.api.v1.ListEndpointsRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkUsage;
import io.weft.api.v1.ReleaseRequest;
import io.weft.controlplane.support.GrpcTestBase;
import io.weft.controlplane.support.Unique;

@QuarkusTest
class EndpointIpamGrpcTest extends GrpcTestBase {

    static String base(Network n) {
        return n.getCidr().substring(0, n.getCidr().lastIndexOf('.') + 1);
    }

    @Test
    void attachAllocatesAnAddressInsideTheNetworkNeverTheFirstOrLast() throws Exception {
        Network n = Unique.network(networks, "att", 24);
        String host = registerHost("h");
        Endpoint e = endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("c-1")
                .addDnsNames("Web").build());
        assertTrue(e.getIp().startsWith(base(n)), e.getIp());
        assertFalse(e.getIp().endsWith(".0") || e.getIp().endsWith(".255"), e.getIp());
        assertEquals(24, e.getPrefixLength());
        assertTrue(e.getMac().matches("0e:00(:[0-9a-f]{2}){4}"), e.getMac());
        assertEquals(List.of("web.weave.local"), e.getDnsNamesList());
        assertEquals(e, endpoints.getEndpoint(GetEndpointRequest.newBuilder().setId(e.getId()).build()));
        assertEquals(List.of(e), endpoints.listEndpoints(ListEndpointsRequest.newBuilder().setNetwork(n.getName()).build()).getEndpointsList());
        // attaching again with the same facts is idempotent
        assertEquals(e, endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("c-1").build()));
    }

    @Test
    void claimHonoursAFreeAddressAndRefusesTakenOrInvalidOnes() throws Exception {
        Network n = Unique.network(networks, "claim", 24);
        String host = registerHost("h");
        String b = base(n);
        Endpoint e = endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("a")
                .setIp(b + "77").setMac("0e:11:22:33:44:55").build());
        assertEquals(b + "77", e.getIp());
        assertEquals("0e:11:22:33:44:55", e.getMac());
        refused(Status.Code.ALREADY_EXISTS, "already held", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setIp(b + "77").build()));
        refused(Status.Code.INVALID_ARGUMENT, "outside", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setIp("100.127.255.1").build()));
        refused(Status.Code.INVALID_ARGUMENT, "network address", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setIp(b + "0").build()));
        refused(Status.Code.INVALID_ARGUMENT, "broadcast", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setIp(b + "255").build()));
        refused(Status.Code.INVALID_ARGUMENT, "not an IPv4", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setIp(b + "300").build()));
        refused(Status.Code.ALREADY_EXISTS, "MAC", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setMac("0e:11:22:33:44:55").build()));
        refused(Status.Code.INVALID_ARGUMENT, "multicast", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").setMac("01:00:5e:00:00:01").build()));
        refused(Status.Code.ALREADY_EXISTS, "detach it first", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("a").setIp(b + "78").build()));
        refused(Status.Code.NOT_FOUND, "does not exist", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(Unique.name("nonet")).setHost(host).setContainerId("b").build()));
        refused(Status.Code.NOT_FOUND, "not registered", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(Unique.name("ghost")).setContainerId("b").build()));
        refused(Status.Code.INVALID_ARGUMENT, "at most 128", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("x".repeat(129)).build()));
        refused(Status.Code.INVALID_ARGUMENT, "at most 253", () -> endpoints.attach(AttachRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setContainerId("b").addDnsNames("a".repeat(60) + "." + "b".repeat(60)
                        + "." + "c".repeat(60) + "." + "d".repeat(60) + ".weave.local").build()));
    }

    @Test
    void detachFreesTheAddressAndTheNames() throws Exception {
        Network n = Unique.network(networks, "det", 24);
        String host = registerHost("h");
        String ip = base(n) + "9";
        Endpoint e = endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("gone")
                .setIp(ip).addDnsNames("gone").build());
        var detached = endpoints.detach(DetachRequest.newBuilder().setContainerId("gone").build());
        assertEquals(List.of(e), detached.getDetachedList());
        refused(Status.Code.NOT_FOUND, e.getId(), () -> endpoints.getEndpoint(GetEndpointRequest.newBuilder().setId(e.getId()).build()));
        refused(Status.Code.NOT_FOUND, "no endpoint", () -> endpoints.detach(DetachRequest.newBuilder().setContainerId("gone").build()));
        Allocation again = ipam.claim(ClaimRequest.newBuilder().setNetwork(n.getName()).setIp(ip).setHost(host).setOwner("next").build());
        assertEquals(ip, again.getIp());
    }

    @Test
    void allocateClaimReleaseAndStatus() throws Exception {
        Network n = Unique.network(networks, "ipam", 28); // 14 usable
        String host = registerHost("h");
        Allocation a = ipam.allocate(AllocateRequest.newBuilder().setNetwork(n.getName()).setHost(host).setOwner("o1").build());
        Allocation b = ipam.claim(ClaimRequest.newBuilder().setNetwork(n.getName()).setIp(base(n) + "5").setHost(host).setOwner("o2").build());
        // claiming what the same owner holds is a no-op
        assertEquals(b, ipam.claim(ClaimRequest.newBuilder().setNetwork(n.getName()).setIp(base(n) + "5").setHost(host).setOwner("o2").build()));
        NetworkUsage usage = ipam.status(IpamStatusRequest.newBuilder().setNetwork(n.getName()).build()).getNetworks(0);
        assertEquals(14, usage.getTotal());
        assertEquals(2, usage.getUsed());
        assertEquals(12, usage.getFree());
        assertEquals(host, usage.getHosts(0).getHost());
        assertEquals(2, usage.getHosts(0).getUsed());
        assertEquals(Set.of(a, b), new HashSet<>(ipam.listAllocations(ListAllocationsRequest.newBuilder().setNetwork(n.getName()).build())
                .getAllocationsList()));
        ipam.release(ReleaseRequest.newBuilder().setNetwork(n.getName()).setIp(a.getIp()).build());
        refused(Status.Code.NOT_FOUND, "not allocated", () -> ipam.release(ReleaseRequest.newBuilder().setNetwork(n.getName()).setIp(a.getIp()).build()));
        assertEquals(1, ipam.status(IpamStatusRequest.newBuilder().setNetwork(n.getName()).build()).getNetworks(0).getUsed());
    }

    @Test
    void aFullNetworkSaysSo() throws Exception {
        Network n = Unique.network(networks, "full", 30); // 2 usable
        String host = registerHost("h");
        ipam.allocate(AllocateRequest.newBuilder().setNetwork(n.getName()).setHost(host).setOwner("a").build());
        ipam.allocate(AllocateRequest.newBuilder().setNetwork(n.getName()).setHost(host).setOwner("b").build());
        refused(Status.Code.RESOURCE_EXHAUSTED, "no free address", () -> ipam.allocate(AllocateRequest.newBuilder()
                .setNetwork(n.getName()).setHost(host).setOwner("c").build()));
    }

    @Test
    void fiftyConcurrentAllocatorsNeverGetTheSameAddress() throws Exception {
        Network n = Unique.network(networks, "race", 22);
        String host = registerHost("h");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<List<String>>> jobs = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                int id = t;
                jobs.add(() -> {
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        if (i % 2 == 0) {
                            got.add(ipam.allocate(AllocateRequest.newBuilder().setNetwork(n.getName()).setHost(host)
                                    .setOwner("t" + id + "-" + i).build()).getIp());
                        } else {
                            got.add(endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host)
                                    .setContainerId("t" + id + "-" + i).build()).getIp());
                        }
                    }
                    return got;
                });
            }
            List<String> all = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<String>> f : pool.invokeAll(jobs, 120, TimeUnit.SECONDS)) {
                all.addAll(f.get());
            }
            assertEquals(500, all.size());
            assertEquals(500, new HashSet<>(all).size(), "every address handed out exactly once");
            assertEquals(500, ipam.status(IpamStatusRequest.newBuilder().setNetwork(n.getName()).build()).getNetworks(0).getUsed());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentClaimsOfOneAddressHaveExactlyOneWinner() throws Exception {
        Network n = Unique.network(networks, "claimrace", 24);
        String host = registerHost("h");
        String ip = base(n) + "42";
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Boolean>> jobs = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                int id = t;
                jobs.add(() -> {
                    try {
                        ipam.claim(ClaimRequest.newBuilder().setNetwork(n.getName()).setIp(ip).setHost(host).setOwner("o" + id).build());
                        return true;
                    } catch (StatusRuntimeException e) {
                        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
                        return false;
                    }
                });
            }
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(jobs, 60, TimeUnit.SECONDS)) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }
}
