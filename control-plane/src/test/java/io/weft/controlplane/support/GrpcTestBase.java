package io.weft.controlplane.support;

import static io.weft.controlplane.support.TestApi.ADMIN;
import static io.weft.controlplane.support.TestApi.JOIN;
import static io.weft.controlplane.support.TestApi.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.weft.api.v1.DnsServiceGrpc;
import io.weft.api.v1.EndpointServiceGrpc;
import io.weft.api.v1.GetInfoRequest;
import io.weft.api.v1.HostServiceGrpc;
import io.weft.api.v1.IpamServiceGrpc;
import io.weft.api.v1.NetworkServiceGrpc;
import io.weft.api.v1.PeerServiceGrpc;
import io.weft.api.v1.SystemServiceGrpc;

/** Stubs over one real channel, and the "refused and nothing changed" assertion. */
public abstract class GrpcTestBase {
    @TestHTTPResource("/")
    protected URL url;

    protected TestApi api;
    protected NetworkServiceGrpc.NetworkServiceBlockingStub networks;
    protected HostServiceGrpc.HostServiceBlockingStub hosts;
    protected EndpointServiceGrpc.EndpointServiceBlockingStub endpoints;
    protected IpamServiceGrpc.IpamServiceBlockingStub ipam;
    protected DnsServiceGrpc.DnsServiceBlockingStub dns;
    protected PeerServiceGrpc.PeerServiceBlockingStub peers;
    protected SystemServiceGrpc.SystemServiceBlockingStub system;

    @BeforeEach
    void openChannel() {
        api = new TestApi(url);
        networks = withToken(NetworkServiceGrpc.newBlockingStub(api.channel), ADMIN);
        hosts = withToken(HostServiceGrpc.newBlockingStub(api.channel), ADMIN);
        endpoints = withToken(EndpointServiceGrpc.newBlockingStub(api.channel), JOIN);
        ipam = withToken(IpamServiceGrpc.newBlockingStub(api.channel), JOIN);
        dns = withToken(DnsServiceGrpc.newBlockingStub(api.channel), JOIN);
        peers = withToken(PeerServiceGrpc.newBlockingStub(api.channel), JOIN);
        system = withToken(SystemServiceGrpc.newBlockingStub(api.channel), ADMIN);
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        api.close();
    }

    protected long revision() {
        return system.getInfo(GetInfoRequest.getDefaultInstance()).getRevision();
    }

    /** The call fails with {@code code}, its message mentions {@code text}, and the revision does not move. */
    protected StatusRuntimeException refused(Status.Code code, String text, Executable call) {
        long before = revision();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        String message = e.getStatus().getDescription();
        assertTrue(message != null && message.contains(text), "message '" + message + "' should mention '" + text + "'");
        assertEquals(before, revision(), "a refused call must not change the store");
        return e;
    }

    protected String registerHost(String prefix) throws InterruptedException {
        String host = Unique.name(prefix);
        AgentClient.register(api, host);
        return host;
    }
}
