package io.weft.controlplane.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.DnsLookupRequest;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.ForgetRequest;
import io.weft.api.v1.GetHostRequest;
import io.weft.api.v1.Host;
import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.ListDnsRecordsRequest;
import io.weft.api.v1.ListEndpointsRequest;
import io.weft.api.v1.ListHostsRequest;
import io.weft.api.v1.ListTargetsRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.PeerTarget;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveHostRequest;
import io.weft.api.v1.RemoveHostResponse;
import io.weft.controlplane.support.GrpcTestBase;
import io.weft.controlplane.support.Unique;

@QuarkusTest
class DnsPeerHostGrpcTest extends GrpcTestBase {

    @Test
    void dnsRecordsHoldSeveralAddressesAndAreCaseInsensitive() {
        String label = Unique.name("Db");
        var added = dns.addRecords(AddDnsRecordsRequest.newBuilder().setName(label).addIps("100.64.20.1").addIps("100.64.20.2").build());
        assertEquals(2, added.getRecordsCount());
        String fqdn = label.toLowerCase() + ".weave.local";
        assertTrue(added.getRecordsList().stream().allMatch(r -> r.getName().equals(fqdn) && r.getEndpointId().isEmpty()));
        var found = dns.lookup(DnsLookupRequest.newBuilder().setName(fqdn.toUpperCase()).build());
        assertEquals(fqdn, found.getName());
        assertEquals(Set.of("100.64.20.1", "100.64.20.2"), Set.copyOf(found.getIpsList()));
        assertEquals(found.getIpsList(), dns.lookup(DnsLookupRequest.newBuilder().setName(label).build()).getIpsList(),
                "a single label gets the domain appended");
        // adding an existing record changes nothing
        long before = revision();
        dns.addRecords(AddDnsRecordsRequest.newBuilder().setName(fqdn).addIps("100.64.20.1").build());
        assertEquals(before, revision());
        assertEquals(2, dns.listRecords(ListDnsRecordsRequest.newBuilder().setName(fqdn).build()).getRecordsCount());

        assertEquals(1, dns.removeRecords(RemoveDnsRecordsRequest.newBuilder().setName(fqdn).addIps("100.64.20.1").build()).getRemoved());
        assertEquals(List.of("100.64.20.2"), dns.lookup(DnsLookupRequest.newBuilder().setName(fqdn).build()).getIpsList());
        assertEquals(1, dns.removeRecords(RemoveDnsRecordsRequest.newBuilder().setName(fqdn).build()).getRemoved());
        refused(Status.Code.NOT_FOUND, "no DNS record", () -> dns.lookup(DnsLookupRequest.newBuilder().setName(fqdn).build()));
        refused(Status.Code.NOT_FOUND, "no DNS record", () -> dns.removeRecords(RemoveDnsRecordsRequest.newBuilder().setName(fqdn).build()));
    }

    @Test
    void badDnsInputIsRefused() {
        refused(Status.Code.INVALID_ARGUMENT, "at least one", () -> dns.addRecords(AddDnsRecordsRequest.newBuilder().setName("x").build()));
        refused(Status.Code.INVALID_ARGUMENT, "not an IPv4", () -> dns.addRecords(AddDnsRecordsRequest.newBuilder().setName("x").addIps("1.2.3").build()));
        refused(Status.Code.INVALID_ARGUMENT, "invalid", () -> dns.addRecords(AddDnsRecordsRequest.newBuilder().setName("bad_name!").addIps("100.64.20.3").build()));
        refused(Status.Code.INVALID_ARGUMENT, "at most 63", () -> dns.addRecords(AddDnsRecordsRequest.newBuilder()
                .setName("a".repeat(64) + ".weave.local").addIps("100.64.20.3").build()));
        refused(Status.Code.INVALID_ARGUMENT, "at most 253", () -> dns.addRecords(AddDnsRecordsRequest.newBuilder()
                .setName(("abcdefghij".repeat(6) + ".").repeat(5) + "weave.local").addIps("100.64.20.3").build()));
        refused(Status.Code.INVALID_ARGUMENT, "empty", () -> dns.addRecords(AddDnsRecordsRequest.newBuilder().addIps("100.64.20.3").build()));
    }

    @Test
    void endpointNamesGoAwayWithTheEndpoint() throws Exception {
        Network n = Unique.network(networks, "dnsep", 24);
        String host = registerHost("h");
        var e = endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("web1")
                .addDnsNames("web").addDnsNames("WWW.example.org.").build());
        assertEquals(List.of("web.weave.local", "www.example.org"), e.getDnsNamesList());
        assertEquals(List.of(e.getIp()), dns.lookup(DnsLookupRequest.newBuilder().setName("www.example.org").build()).getIpsList());
        List<DnsRecord> byHost = dns.listRecords(ListDnsRecordsRequest.newBuilder().setHost(host).build()).getRecordsList();
        assertEquals(2, byHost.size());
        endpoints.detach(io.weft.api.v1.DetachRequest.newBuilder().setEndpointId(e.getId()).build());
        assertEquals(0, dns.listRecords(ListDnsRecordsRequest.newBuilder().setHost(host).build()).getRecordsCount());
    }

    @Test
    void connectAndForgetPeerTargets() {
        String host = Unique.name("ph");
        var connected = peers.connect(ConnectRequest.newBuilder().setHost(host).addAddresses("198.18.3.1").addAddresses("198.18.3.2:7000").build());
        assertEquals(Set.of("198.18.3.1:6783", "198.18.3.2:7000"),
                connected.getTargetsList().stream().map(PeerTarget::getAddress).collect(Collectors.toSet()));
        var replaced = peers.connect(ConnectRequest.newBuilder().setHost(host).setReplace(true).addAddresses("198.18.3.3").build());
        assertEquals(List.of("198.18.3.3:6783"), replaced.getTargetsList().stream().map(PeerTarget::getAddress).toList());
        refused(Status.Code.NOT_FOUND, "198.18.3.1:6783", () -> peers.forget(ForgetRequest.newBuilder().setHost(host)
                .addAddresses("198.18.3.3").addAddresses("198.18.3.1").build()));
        assertEquals(1, peers.forget(ForgetRequest.newBuilder().setHost(host).addAddresses("198.18.3.3:6783").build()).getRemoved());
        assertTrue(peers.listTargets(ListTargetsRequest.newBuilder().setHost(host).build()).getTargetsList().stream()
                .noneMatch(t -> t.getHost().equals(host)));
        refused(Status.Code.INVALID_ARGUMENT, "port", () -> peers.connect(ConnectRequest.newBuilder().addAddresses("198.18.3.1:0").build()));
        refused(Status.Code.INVALID_ARGUMENT, "IPv4", () -> peers.connect(ConnectRequest.newBuilder().addAddresses("host.example").build()));
        refused(Status.Code.INVALID_ARGUMENT, "at least one", () -> peers.connect(ConnectRequest.getDefaultInstance()));
    }

    @Test
    void hostsAreListedAndRemovingOneReleasesWhatItHeld() throws Exception {
        Network n = Unique.network(networks, "rmh", 24);
        String host = registerHost("dead");
        Host h = hosts.getHost(GetHostRequest.newBuilder().setName(host).build());
        assertEquals(32, h.getPublicKey().size());
        assertTrue(h.getUnderlayEndpoints(0).endsWith(":6783"));
        assertTrue(hosts.listHosts(ListHostsRequest.getDefaultInstance()).getHostsList().stream().anyMatch(x -> x.getName().equals(host)));
        endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("c1").addDnsNames("c1").build());
        endpoints.attach(AttachRequest.newBuilder().setNetwork(n.getName()).setHost(host).setContainerId("c2").build());
        ipam.allocate(AllocateRequest.newBuilder().setNetwork(n.getName()).setHost(host).setOwner("spare").build());
        dns.addRecords(AddDnsRecordsRequest.newBuilder().setName(Unique.name("ext")).addIps("100.64.21.1").setHost(host).build());
        peers.connect(ConnectRequest.newBuilder().setHost(host).addAddresses("198.18.4.4").build());

        RemoveHostResponse removed = hosts.removeHost(RemoveHostRequest.newBuilder().setName(host).build());
        assertEquals(2, removed.getReleasedEndpoints());
        assertEquals(3, removed.getReleasedAddresses());
        assertEquals(0, ipam.status(IpamStatusRequest.newBuilder().setNetwork(n.getName()).build()).getNetworks(0).getUsed());
        assertEquals(0, endpoints.listEndpoints(ListEndpointsRequest.newBuilder().setHost(host).build()).getEndpointsCount());
        assertEquals(0, dns.listRecords(ListDnsRecordsRequest.newBuilder().setHost(host).build()).getRecordsCount());
        assertFalse(peers.listTargets(ListTargetsRequest.getDefaultInstance()).getTargetsList().stream().anyMatch(t -> t.getHost().equals(host)));
        refused(Status.Code.NOT_FOUND, "not registered", () -> hosts.getHost(GetHostRequest.newBuilder().setName(host).build()));
        refused(Status.Code.NOT_FOUND, "not registered", () -> hosts.removeHost(RemoveHostRequest.newBuilder().setName(host).build()));
    }
}
