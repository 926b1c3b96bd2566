package io.weft.controlplane.api.rest;

import io.weft.api.v1.SystemInfo;
import io.weft.controlplane.ops.SystemInfoSource;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/info")
@Produces(MediaType.APPLICATION_JSON)
public class InfoResource {
    @Inject
    SystemInfoSource info;

    @GET
    public SystemInfo get() {
        return info.get();
    }
}
