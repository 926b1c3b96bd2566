package io.weft.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.weft.controlplane.support.Unique;

/**
 * "Restart the service: everything is still there", with the real packaged service: start it,
 * write through the API, stop it, start it again on the same store, read everything back.
 * Runs in the integration-test phase (after packaging), against H2 and, when scripts/test
 * provides one, PostgreSQL.
 */
class ControlPlaneRestartIT {
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final String ADMIN = "it-admin-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void embeddedH2KeepsEverythingAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("weft-restart-it");
        try {
            restartKeepsState(dir, Map.of());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void postgresqlKeepsEverythingAcrossARestart() throws Exception {
        String url = System.getProperty("weft-test.pg-url", "");
        Assumptions.assumeFalse(url.isBlank(), "no PostgreSQL given (scripts/test starts one)");
        Path dir = Files.createTempDirectory("weft-restart-it-pg");
        try {
            restartKeepsState(dir, Map.of("WEFT_DB_URL", url, "WEFT_DB_USERNAME", System.getProperty("weft-test.pg-username", "")));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    void restartKeepsState(Path dataDir, Map<String, String> env) throws Exception {
        assertTrue(Files.exists(JAR), "package the control plane first (mvn package)");
        String net = Unique.name("keep");
        int third = (int) (System.nanoTime() & 0xff);
        String cidr = "100.95." + third + ".0/24";
        String dnsName = Unique.name("ext") + ".weave.local";
        String before;
        Process p = start(dataDir, env);
        int port = portOf(p);
        try {
            call(port, "POST", "/api/v1/networks", "{\"name\":\"" + net + "\",\"cidr\":\"" + cidr + "\"}", 201);
            call(port, "POST", "/api/v1/dns/records", "{\"name\":\"" + dnsName + "\",\"ips\":[\"100.95." + third + ".7\"]}", 200);
            call(port, "POST", "/api/v1/peers/connect", "{\"addresses\":[\"198.18.7.7\"]}", 200);
            before = call(port, "GET", "/api/v1/info", null, 200);
        } finally {
            stop(p);
        }
        Process again = start(dataDir, env);
        try {
            int port2 = portOf(again);
            String network = call(port2, "GET", "/api/v1/networks/" + net, null, 200);
            assertTrue(network.contains(cidr), network);
            String lookup = call(port2, "GET", "/api/v1/dns/lookup/" + dnsName, null, 200);
            assertTrue(lookup.contains("100.95." + third + ".7"), lookup);
            assertTrue(call(port2, "GET", "/api/v1/peers/targets", null, 200).contains("198.18.7.7:6783"));
            String after = call(port2, "GET", "/api/v1/info", null, 200);
            assertEquals(field(before, "revision"), field(after, "revision"), "same revision after the restart");
        } finally {
            stop(again);
        }
    }

    static Process start(Path dataDir, Map<String, String> env) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("control-plane-" + port + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("WEFT_DATA_DIR", dataDir.toString());
        pb.environment().put("WEFT_PORT", String.valueOf(port));
        pb.environment().put("WEFT_LISTEN", "127.0.0.1");
        pb.environment().put("WEFT_ADMIN_TOKEN", ADMIN);
        Process p = pb.start();
        PORTS.put(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("control plane exited with " + p.exitValue() + "; see " + dataDir);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("control plane not ready within 60 s");
    }

    static final Map<Process, Integer> PORTS = new java.util.concurrent.ConcurrentHashMap<>();

    static int portOf(Process p) {
        return PORTS.get(p);
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: a clean shutdown
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    static String call(int port, String method, String path, String body, int expect) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expect, r.statusCode(), method + " " + path + " -> " + r.body());
        return r.body();
    }

    static String field(String json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
