package io.weft.dataplane.docker;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Docker Engine API on its unix socket, the two calls Weft needs: inspect a container (id or
 * name -> full id, name, PID, running) and the stream of container events. A small HTTP/1.1
 * exchange over a JDK unix-domain SocketChannel ("Connection: close", fixed-length or chunked
 * bodies): the Docker Java clients pull in Jersey or Apache HttpClient plus a native socket
 * library for this, far more than two GETs need.
 */
public final class DockerEngine {
    /** What Weft needs of a container. */
    public record Container(String id, String name, long pid, boolean running) {
    }

    private final Path socket;

    public DockerEngine(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    public boolean present() {
        return Files.exists(socket);
    }

    /** The container, or empty when Docker knows no such id or name. */
    public Optional<Container> inspect(String idOrName) throws IOException {
        try (SocketChannel ch = open()) {
            Response r = get(ch, "/containers/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8) + "/json");
            if (r.status == 404) {
                return Optional.empty();
            }
            JsonObject o = new JsonObject(new String(r.body.readAllBytes(), StandardCharsets.UTF_8));
            if (r.status != 200) {
                throw new IOException("Docker answered " + r.status + ": " + o.getString("message", ""));
            }
            JsonObject state = o.getJsonObject("State", new JsonObject());
            String name = o.getString("Name", "");
            return Optional.of(new Container(o.getString("Id"), name.startsWith("/") ? name.substring(1) : name,
                    state.getLong("Pid", 0L), state.getBoolean("Running", false)));
        }
    }

    /**
     * Streams container events (one JSON object each) to the consumer until the connection ends
     * (Docker stopped) or the thread is interrupted (the channel is closed then).
     */
    public void containerEvents(Consumer<JsonObject> onEvent) throws IOException {
        String filters = URLEncoder.encode("{\"type\":[\"container\"]}", StandardCharsets.UTF_8);
        try (SocketChannel ch = open()) {
            Response r = get(ch, "/events?filters=" + filters);
            if (r.status != 200) {
                throw new IOException("Docker answered " + r.status + " to the events request");
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = r.body.read()) >= 0) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8).trim();
                    line.reset();
                    if (!text.isEmpty()) {
                        onEvent.accept(new JsonObject(text));
                    }
                } else {
                    line.write(b);
                }
            }
        }
    }

    private SocketChannel open() throws IOException {
        if (!present()) {
            throw new IOException("no Docker socket at " + socket + " (is Docker running?)");
        }
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    private record Response(int status, InputStream body) {
    }

    private static Response get(SocketChannel ch, String path) throws IOException {
        String req = "GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: weft\r\nConnection: close\r\n\r\n";
        ByteBuffer buf = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer from " + path + ": '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        boolean chunked = false;
        long length = -1;
        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            String lower = h.toLowerCase();
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
            }
        }
        InputStream body = chunked ? new ChunkedStream(in) : length >= 0 ? new BoundedStream(in, length) : in;
        return new Response(status, body);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        if (b < 0 && sb.length() == 0) {
            throw new IOException("Docker closed the connection");
        }
        return sb.toString();
    }
}
