package io.weft.controlplane.api.rest;

import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.DetachResponse;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.ListEndpointsResponse;
import io.weft.controlplane.domain.EndpointManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EndpointsResource {
    @Inject
    EndpointManager endpoints;
    @Inject
    Store store;

    @GET
    public ListEndpointsResponse list(@QueryParam("network") String network, @QueryParam("host") String host,
            @QueryParam("container_id") String containerId) {
        return ListEndpointsResponse.newBuilder().addAllEndpoints(endpoints.list(network, host, containerId))
                .setRevision(store.currentRevision()).build();
    }

    /** Attach: allocate or claim an address and register the endpoint. */
    @POST
    public Response attach(AttachRequest request) {
        return Response.status(Response.Status.CREATED).entity(endpoints.attach(request)).build();
    }

    @GET
    @Path("{id}")
    public Endpoint get(@PathParam("id") String id) {
        return endpoints.get(id);
    }

    @DELETE
    @Path("{id}")
    public DetachResponse detachOne(@PathParam("id") String id) {
        return detach(DetachRequest.newBuilder().setEndpointId(id).build());
    }

    /** Detach by container (optionally one network / host). */
    @POST
    @Path("detach")
    public DetachResponse detach(DetachRequest request) {
        EndpointManager.Detached detached = endpoints.detach(request);
        return DetachResponse.newBuilder().addAllDetached(detached.endpoints()).setRevision(detached.revision()).build();
    }
}
