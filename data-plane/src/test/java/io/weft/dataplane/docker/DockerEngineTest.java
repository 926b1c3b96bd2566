package io.weft.dataplane.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API client against a unix socket that answers like dockerd (one canned answer per connection). */
class DockerEngineTest {
    @TempDir
    Path dir;

    /** Serves one connection: returns the request line, writes answer, closes. */
    private CompletableFuture<String> serveOnce(Path socket, String answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(4096);
                StringBuilder req = new StringBuilder();
                while (!req.toString().contains("\r\n\r\n") && c.read(in) > 0) {
                    in.flip();
                    req.append(StandardCharsets.US_ASCII.decode(in));
                    in.clear();
                }
                c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                return req.substring(0, req.indexOf("\r\n"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void inspectReadsIdNamePidAndState() throws Exception {
        Path sock = dir.resolve("d.sock");
        String body = "{\"Id\":\"" + "ab".repeat(32) + "\",\"Name\":\"/web1\",\"State\":{\"Running\":true,\"Pid\":4242}}";
        CompletableFuture<String> req = serveOnce(sock, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        Optional<DockerEngine.Container> c = new DockerEngine(sock).inspect("web1");
        assertEquals(Optional.of(new DockerEngine.Container("ab".repeat(32), "web1", 4242, true)), c);
        assertEquals("GET /containers/web1/json HTTP/1.1", req.get(5, TimeUnit.SECONDS));
    }

    @Test
    void unknownContainerIsEmpty() throws Exception {
        Path sock = dir.resolve("d.sock");
        String body = "{\"message\":\"No such container: nope\"}";
        serveOnce(sock, "HTTP/1.1 404 Not Found\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(Optional.empty(), new DockerEngine(sock).inspect("nope"));
    }

    @Test
    void eventsStreamIsDechunkedIntoOneObjectPerLine() throws Exception {
        Path sock = dir.resolve("d.sock");
        String e1 = "{\"Type\":\"container\",\"Action\":\"start\",\"id\":\"c1\"}\n";
        String e2 = "{\"Type\":\"container\",\"Action\":\"die\",\"id\":\"c2\"}\n";
        // e2 split across two chunks, as a stream may deliver it
        String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(e1.length()) + "\r\n" + e1 + "\r\n"
                + Integer.toHexString(10) + "\r\n" + e2.substring(0, 10) + "\r\n"
                + Integer.toHexString(e2.length() - 10) + "\r\n" + e2.substring(10) + "\r\n0\r\n\r\n";
        CompletableFuture<String> req = serveOnce(sock, answer);
        List<JsonObject> got = new ArrayList<>();
        new DockerEngine(sock).containerEvents(got::add);
        assertEquals(2, got.size());
        assertEquals("die", got.get(1).getString("Action"));
        assertEquals("c2", got.get(1).getString("id"));
        assertTrue(req.get(5, TimeUnit.SECONDS).startsWith("GET /events?filters="), req.get());
    }

    @Test
    void noSocketSaysDockerIsNotRunning() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new DockerEngine(dir.resolve("none.sock")).inspect("x"));
        assertTrue(e.getMessage().contains("is Docker running"), e.getMessage());
    }
}
