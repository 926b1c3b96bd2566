package io.weft.controlplane.api.rest;

import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.ConnectResponse;
import io.weft.api.v1.ForgetRequest;
import io.weft.api.v1.ForgetResponse;
import io.weft.api.v1.ListLinksResponse;
import io.weft.api.v1.ListTargetsResponse;
import io.weft.controlplane.domain.PeerManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/peers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PeersResource {
    @Inject
    PeerManager peers;
    @Inject
    Store store;

    @GET
    @Path("targets")
    public ListTargetsResponse targets(@QueryParam("host") String host) {
        return ListTargetsResponse.newBuilder().addAllTargets(peers.targets(host)).setRevision(store.currentRevision()).build();
    }

    @POST
    @Path("connect")
    public ConnectResponse connect(ConnectRequest request) {
        PeerManager.Targets t = peers.connect(request.getAddressesList(), request.getHost(), request.getReplace());
        return ConnectResponse.newBuilder().addAllTargets(t.targets()).setRevision(t.revision()).build();
    }

    @POST
    @Path("forget")
    public ForgetResponse forget(ForgetRequest request) {
        PeerManager.Targets t = peers.forget(request.getAddressesList(), request.getHost());
        return ForgetResponse.newBuilder().setRemoved(t.targets().size()).setRevision(t.revision()).build();
    }

    @GET
    @Path("links")
    public ListLinksResponse links(@QueryParam("host") String host) {
        return ListLinksResponse.newBuilder().addAllLinks(peers.links(host)).build();
    }
}
