package io.weft.controlplane.api.rest;

import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.Allocation;
import io.weft.api.v1.ClaimRequest;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListAllocationsResponse;
import io.weft.api.v1.ReleaseRequest;
import io.weft.api.v1.ReleaseResponse;
import io.weft.controlplane.domain.IpamManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/ipam")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IpamResource {
    @Inject
    IpamManager ipam;
    @Inject
    Store store;

    @POST
    @Path("allocate")
    public Allocation allocate(AllocateRequest request) {
        return ipam.allocate(request);
    }

    @POST
    @Path("claim")
    public Allocation claim(ClaimRequest request) {
        return ipam.claim(request);
    }

    @POST
    @Path("release")
    public ReleaseResponse release(ReleaseRequest request) {
        return ReleaseResponse.newBuilder().setRevision(ipam.release(request)).build();
    }

    @GET
    @Path("allocations")
    public ListAllocationsResponse allocations(@QueryParam("network") String network, @QueryParam("host") String host) {
        return ListAllocationsResponse.newBuilder().addAllAllocations(ipam.list(network, host)).setRevision(store.currentRevision()).build();
    }

    @GET
    @Path("status")
    public IpamStatusResponse status(@QueryParam("network") String network) {
        return IpamStatusResponse.newBuilder().addAllNetworks(ipam.status(network)).build();
    }
}
