package io.weft.controlplane.api.rest;

import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsLookupResponse;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveDnsRecordsResponse;
import io.weft.controlplane.domain.DnsManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/dns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DnsResource {
    @Inject
    DnsManager dns;
    @Inject
    Store store;

    @GET
    @Path("records")
    public ListDnsRecordsResponse list(@QueryParam("name") String name, @QueryParam("domain") String domain,
            @QueryParam("host") String host) {
        return ListDnsRecordsResponse.newBuilder().addAllRecords(dns.list(name, domain, host)).setRevision(store.currentRevision()).build();
    }

    @POST
    @Path("records")
    public AddDnsRecordsResponse add(AddDnsRecordsRequest request) {
        DnsManager.Added added = dns.add(request);
        return AddDnsRecordsResponse.newBuilder().addAllRecords(added.records()).setRevision(added.revision()).build();
    }

    @POST
    @Path("records/remove")
    public RemoveDnsRecordsResponse remove(RemoveDnsRecordsRequest request) {
        DnsManager.Removed removed = dns.remove(request);
        return RemoveDnsRecordsResponse.newBuilder().setRemoved(removed.count()).setRevision(removed.revision()).build();
    }

    @GET
    @Path("lookup/{name}")
    public DnsLookupResponse lookup(@PathParam("name") String name, @QueryParam("domain") String domain) {
        DnsManager.Lookup l = dns.lookup(name, domain);
        return DnsLookupResponse.newBuilder().setName(l.name()).addAllIps(l.ips()).build();
    }
}
