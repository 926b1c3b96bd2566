package io.weft.dataplane.docker;

import java.io.IOException;
import java.io.InputStream;

/** The body of an HTTP/1.1 "Transfer-Encoding: chunked" answer (the events stream is one). */
final class ChunkedStream extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (done) {
            return -1;
        }
        if (left == 0) {
            String size = DockerEngine.readLine(in);
            if (size.isEmpty()) { // the CRLF closing the previous chunk
                size = DockerEngine.readLine(in);
            }
            int semi = size.indexOf(';');
            left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            if (left == 0) {
                done = true;
                return -1;
            }
        }
        int b = in.read();
        if (b < 0) {
            done = true;
            return -1;
        }
        left--;
        return b;
    }
}
