package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsLookupRequest;
import io.weft.api.v1.DnsLookupResponse;
import io.weft.api.v1.DnsService;
import io.weft.api.v1.ListDnsRecordsRequest;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveDnsRecordsResponse;
import io.weft.controlplane.domain.DnsManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class DnsGrpc implements DnsService {
    @Inject
    DnsManager dns;
    @Inject
    Store store;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<AddDnsRecordsResponse> addRecords(AddDnsRecordsRequest request) {
        return calls.run(() -> {
            DnsManager.Added added = dns.add(request);
            return AddDnsRecordsResponse.newBuilder().addAllRecords(added.records()).setRevision(added.revision()).build();
        });
    }

    @Override
    public Uni<RemoveDnsRecordsResponse> removeRecords(RemoveDnsRecordsRequest request) {
        return calls.run(() -> {
            DnsManager.Removed removed = dns.remove(request);
            return RemoveDnsRecordsResponse.newBuilder().setRemoved(removed.count()).setRevision(removed.revision()).build();
        });
    }

    @Override
    public Uni<ListDnsRecordsResponse> listRecords(ListDnsRecordsRequest request) {
        return calls.run(() -> ListDnsRecordsResponse.newBuilder()
                .addAllRecords(dns.list(request.getName(), request.getDomain(), request.getHost()))
                .setRevision(store.currentRevision()).build());
    }

    @Override
    public Uni<DnsLookupResponse> lookup(DnsLookupRequest request) {
        return calls.run(() -> {
            DnsManager.Lookup l = dns.lookup(request.getName(), request.getDnsDomain());
            return DnsLookupResponse.newBuilder().setName(l.name()).addAllIps(l.ips()).build();
        });
    }
}
