package io.weft.controlplane.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Network;
import io.weft.api.v1.SystemInfo;
import io.weft.controlplane.support.AgentClient;
import io.weft.controlplane.support.TestApi;
import io.weft.controlplane.support.Unique;

/**
 * REST test helpers: authenticated requests, weft.v1 messages to and from protobuf JSON, unique
 * networks and hosts (the test store is shared and kept between runs), a view of the store to
 * prove a refused call changed nothing, and clean-up of what a test created.
 */
final class RestFixture {
    static final String ADMIN = TestApi.ADMIN;
    static final String JOIN = TestApi.JOIN;
    static final String API = "/api/v1";

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final URL url;
    private final List<String> hosts = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();

    RestFixture(URL url) {
        this.url = url;
    }

    // ---- requests -------------------------------------------------------------------------

    static RequestSpecification admin() {
        return as(ADMIN);
    }

    static RequestSpecification join() {
        return as(JOIN);
    }

    static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    static RequestSpecification as(String token) {
        return anonymous().header("Authorization", "Bearer " + token);
    }

    static String json(MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses a response body as a weft.v1 message (which also proves it is valid protobuf JSON). */
    @SuppressWarnings("unchecked")
    static <M extends Message> M parse(Response r, Message.Builder builder) {
        try {
            PARSER.merge(r.asString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a " + builder.getDescriptorForType().getFullName() + ": " + r.asString(), e);
        }
        return (M) builder.build();
    }

    static <M extends Message> M ok(Response r, int status, Message.Builder builder) {
        assertEquals(status, r.statusCode(), () -> "HTTP status; body: " + r.asString());
        return parse(r, builder);
    }

    static <M extends Message> M ok(Response r, Message.Builder builder) {
        return ok(r, 200, builder);
    }

    static SystemInfo info() {
        return ok(admin().get(API + "/info"), SystemInfo.newBuilder());
    }

    static long revision() {
        return info().getRevision();
    }

    // ---- errors ---------------------------------------------------------------------------

    /** Asserts an error body {"error":{"code","message"}} whose message mentions every fragment (case-insensitive). */
    static String assertError(Response r, int status, String code, String... fragments) {
        assertEquals(status, r.statusCode(), () -> "HTTP status; body: " + r.asString());
        assertTrue(r.contentType().startsWith("application/json"), () -> "content type " + r.contentType());
        assertEquals(code, r.jsonPath().getString("error.code"), () -> "error code; body: " + r.asString());
        String message = r.jsonPath().getString("error.message");
        for (String f : fragments) {
            assertTrue(message != null && message.toLowerCase().contains(f.toLowerCase()),
                    () -> "message '" + message + "' should mention '" + f + "'");
        }
        return message;
    }

    /** The parts of the store REST lists show; equal views mean a call changed nothing. */
    record StoreView(long revision, String networks, String endpoints, String allocations, String dns, String targets) {
    }

    static StoreView view() {
        return new StoreView(revision(),
                admin().get(API + "/networks").then().statusCode(200).extract().asString(),
                admin().get(API + "/endpoints").then().statusCode(200).extract().asString(),
                admin().get(API + "/ipam/allocations").then().statusCode(200).extract().asString(),
                admin().get(API + "/dns/records").then().statusCode(200).extract().asString(),
                admin().get(API + "/peers/targets").then().statusCode(200).extract().asString());
    }

    /** Runs a call that must be refused with status / code / message fragments, and proves the store is unchanged. */
    static String refused(Supplier<Response> call, int status, String code, String... fragments) {
        StoreView before = view();
        String message = assertError(call.get(), status, code, fragments);
        StoreView after = view();
        assertEquals(before.revision(), after.revision(), "a refused call must not bump the revision");
        assertEquals(before, after, "a refused call must leave the store unchanged");
        return message;
    }

    // ---- fixtures -------------------------------------------------------------------------

    static String name(String prefix) {
        return Unique.name(prefix);
    }

    /** A random /24 in 100.66.0.0 .. 100.94.255.0: inside 100.64.0.0/10, away from the default 100.96.0.0/12. */
    static String randomCidr(int prefixLength) {
        int second = 66 + ThreadLocalRandom.current().nextInt(29);
        int third = ThreadLocalRandom.current().nextInt(256);
        int fourth = prefixLength <= 24 ? 0 : ThreadLocalRandom.current().nextInt(1 << (32 - 24)) & ~((1 << (32 - prefixLength)) - 1);
        return "100." + second + "." + third + "." + fourth + "/" + prefixLength;
    }

    /** Creates a network on a free random range (retrying on overlap) and deletes it at clean-up. */
    Network network(String prefix, int prefixLength, String dnsDomain) {
        for (int attempt = 0; attempt < 50; attempt++) {
            CreateNetworkRequest.Builder req = CreateNetworkRequest.newBuilder().setName(name(prefix)).setCidr(randomCidr(prefixLength));
            if (dnsDomain != null) {
                req.setDnsDomain(dnsDomain);
            }
            Response r = admin().body(json(req)).post(API + "/networks");
            if (r.statusCode() == 409 && "FAILED_PRECONDITION".equals(r.jsonPath().getString("error.code"))) {
                continue;
            }
            Network n = ok(r, 201, Network.newBuilder());
            networks.add(n.getName());
            return n;
        }
        throw new AssertionError("no free range found in 50 attempts");
    }

    Network network(String prefix) {
        return network(prefix, 24, null);
    }

    /** Remembers a host registered by the test itself, for clean-up. */
    void adopt(String host) {
        hosts.add(host);
    }

    /** Remembers a network created by the test itself, for clean-up. */
    void track(String network) {
        networks.add(network);
    }

    /** Registers a host over the watch stream (as a data plane would) and removes it at clean-up. */
    String host(String prefix) {
        String h = name(prefix);
        try (TestApi api = new TestApi(url)) {
            AgentClient.register(api, h);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        hosts.add(h);
        return h;
    }

    Endpoint attach(String network, String host, String container, String ip, String... dnsNames) {
        AttachRequest.Builder req = AttachRequest.newBuilder().setNetwork(network).setHost(host).setContainerId(container)
                .addAllDnsNames(List.of(dnsNames));
        if (ip != null) {
            req.setIp(ip);
        }
        return ok(admin().body(json(req)).post(API + "/endpoints"), 201, Endpoint.newBuilder());
    }

    /** "100.x.y.z" for offset z inside a /24 network. */
    static String ipIn(Network n, int offset) {
        String base = n.getCidr().substring(0, n.getCidr().indexOf('/'));
        String[] o = base.split("\\.");
        return o[0] + "." + o[1] + "." + o[2] + "." + (Integer.parseInt(o[3]) + offset);
    }

    /** Removes the hosts (releasing their endpoints, addresses and records) and then the networks. */
    void cleanup() {
        for (String h : hosts) {
            admin().delete(API + "/hosts/" + h);
        }
        for (String n : networks) {
            admin().delete(API + "/networks/" + n);
        }
        hosts.clear();
        networks.clear();
    }
}
