package io.weft.controlplane.api.rest;

import io.weft.api.v1.Host;
import io.weft.api.v1.ListHostsResponse;
import io.weft.api.v1.RemoveHostResponse;
import io.weft.controlplane.domain.HostManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {
    @Inject
    HostManager hosts;
    @Inject
    Store store;

    @GET
    public ListHostsResponse list() {
        return ListHostsResponse.newBuilder().addAllHosts(hosts.list()).setRevision(store.currentRevision()).build();
    }

    @GET
    @Path("{name}")
    public Host get(@PathParam("name") String name) {
        return hosts.get(name);
    }

    @DELETE
    @Path("{name}")
    public RemoveHostResponse remove(@PathParam("name") String name) {
        return hosts.remove(name);
    }
}
