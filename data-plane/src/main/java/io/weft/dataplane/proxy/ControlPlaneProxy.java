package io.weft.dataplane.proxy;

import io.grpc.StatusRuntimeException;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsLookupRequest;
import io.weft.api.v1.DnsLookupResponse;
import io.weft.api.v1.DnsServiceGrpc;
import io.weft.api.v1.GetInfoRequest;
import io.weft.api.v1.IpamServiceGrpc;
import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListDnsRecordsRequest;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.ListNetworksRequest;
import io.weft.api.v1.ListNetworksResponse;
import io.weft.api.v1.LocalVersion;
import io.weft.api.v1.NetworkServiceGrpc;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveDnsRecordsResponse;
import io.weft.api.v1.SystemServiceGrpc;
import io.weft.dataplane.agent.ControlPlaneChannel;
import io.weft.dataplane.daemon.Daemon;
import io.weft.dataplane.daemon.LocalOps;
import io.weft.dataplane.docker.DockerTargets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Function;

/**
 * Control-plane calls the CLI makes through the daemon (dns-add, dns-remove, dns-lookup, status
 * ipam, status dns, net:CIDR, version): the daemon holds the join token, so a CLI on this host needs none, and errors
 * read the same as the other local calls.
 */
@ApplicationScoped
public class ControlPlaneProxy {
    @Inject
    Daemon daemon;
    @Inject
    LocalOps ops;
    @Inject
    DockerTargets docker;

    private <S extends io.grpc.stub.AbstractStub<S>, R> R call(Function<io.grpc.Channel, S> stub, Function<S, R> body) {
        ControlPlaneChannel cp = ops.cp();
        try {
            return body.apply(cp.withAuth(stub.apply(cp.channel()), LocalOps.CALL_MILLIS));
        } catch (StatusRuntimeException e) {
            throw LocalOps.fromControlPlane(e);
        }
    }

    public AddDnsRecordsResponse dnsAdd(AddDnsRecordsRequest req) {
        AddDnsRecordsRequest.Builder b = req.toBuilder().setContainerId(docker.containerId(req.getContainerId()));
        AddDnsRecordsRequest withHost = req.getHost().isEmpty() ? b.setHost(daemon.hostName()).build() : b.build();
        return call(DnsServiceGrpc::newBlockingStub, s -> s.addRecords(withHost));
    }

    public RemoveDnsRecordsResponse dnsRemove(RemoveDnsRecordsRequest req) {
        RemoveDnsRecordsRequest resolved = req.toBuilder().setContainerId(docker.containerId(req.getContainerId())).build();
        return call(DnsServiceGrpc::newBlockingStub, s -> s.removeRecords(resolved));
    }

    public DnsLookupResponse dnsLookup(DnsLookupRequest req) {
        return call(DnsServiceGrpc::newBlockingStub, s -> s.lookup(req));
    }

    public ListDnsRecordsResponse dnsList(ListDnsRecordsRequest req) {
        return call(DnsServiceGrpc::newBlockingStub, s -> s.listRecords(req));
    }

    public ListNetworksResponse listNetworks(ListNetworksRequest req) {
        return call(NetworkServiceGrpc::newBlockingStub, s -> s.listNetworks(req));
    }

    public IpamStatusResponse ipamStatus(IpamStatusRequest req) {
        return call(IpamServiceGrpc::newBlockingStub, s -> s.status(req));
    }

    /** Never fails: the control plane's half is left out, with the reason, when it cannot be asked. */
    public LocalVersion version() {
        LocalVersion.Builder v = LocalVersion.newBuilder().setDataPlane(Daemon.VERSION);
        ControlPlaneChannel cp = daemon.controlPlane();
        if (cp == null) {
            return v.setControlPlaneError("no control plane configured").build();
        }
        try {
            v.setControlPlane(cp.withAuth(SystemServiceGrpc.newBlockingStub(cp.channel()), LocalOps.CALL_MILLIS)
                    .getInfo(GetInfoRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            v.setControlPlaneError(LocalOps.fromControlPlane(e).getStatus().getDescription());
        }
        return v.build();
    }
}
