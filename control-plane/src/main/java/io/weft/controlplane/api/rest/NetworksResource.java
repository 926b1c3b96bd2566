package io.weft.controlplane.api.rest;

import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.DeleteNetworkResponse;
import io.weft.api.v1.ListNetworksResponse;
import io.weft.api.v1.Network;
import io.weft.controlplane.domain.NetworkManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/networks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NetworksResource {
    @Inject
    NetworkManager networks;
    @Inject
    Store store;

    @GET
    public ListNetworksResponse list() {
        return ListNetworksResponse.newBuilder().addAllNetworks(networks.list()).setRevision(store.currentRevision()).build();
    }

    @POST
    public Response create(CreateNetworkRequest request) {
        Network n = networks.create(request);
        return Response.status(Response.Status.CREATED).entity(n).build();
    }

    @GET
    @Path("{name}")
    public Network get(@PathParam("name") String name) {
        return networks.get(name);
    }

    @DELETE
    @Path("{name}")
    public DeleteNetworkResponse delete(@PathParam("name") String name) {
        return DeleteNetworkResponse.newBuilder().setRevision(networks.delete(name)).build();
    }
}
