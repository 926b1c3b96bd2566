package io.weft.dataplane.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host command ({@code ip}, {@code bridge}, {@code nsenter}) with a timeout and captures
 * its output. A failure becomes a {@link PlumbingException} that quotes the command and what it
 * printed, plus a hint for the usual causes.
 */
public final class Cmd {
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    static final long TIMEOUT_MILLIS = 10_000;

    private Cmd() {
    }

    /** Runs {@code argv}; never throws for a non-zero exit (see {@link #check}). */
    public static Result run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new PlumbingException("cannot run '" + String.join(" ", argv) + "': " + e.getMessage()
                    + " — install iproute2 (apt-get install -y iproute2) and run the daemon as root");
        }
        try {
            StreamReader out = new StreamReader(p.getInputStream());
            StreamReader err = new StreamReader(p.getErrorStream());
            out.start();
            err.start();
            if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new PlumbingException("'" + String.join(" ", argv) + "' did not finish within "
                        + TIMEOUT_MILLIS / 1000 + " s; is the system overloaded or a netns mount stuck?");
            }
            out.join(1000);
            err.join(1000);
            return new Result(p.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PlumbingException("interrupted while running '" + String.join(" ", argv) + "'");
        }
    }

    /** Runs {@code argv} and fails with the command's own message when it exits non-zero. */
    public static String check(List<String> argv) {
        Result r = run(argv);
        if (!r.ok()) {
            String err = r.err().isBlank() ? r.out().trim() : r.err().trim();
            throw new PlumbingException("'" + String.join(" ", argv) + "' failed (exit " + r.exit() + "): " + err
                    + hint(err));
        }
        return r.out();
    }

    static String hint(String err) {
        String e = err.toLowerCase(java.util.Locale.ROOT);
        if (e.contains("operation not permitted")) {
            return " — the daemon needs root (CAP_NET_ADMIN)";
        }
        if (e.contains("cannot open network namespace") || e.contains("no such file")) {
            return " — the target's network namespace does not exist (check 'ip netns list' or the PID)";
        }
        if (e.contains("file exists")) {
            return " — an interface or address with that name already exists; 'weft reset' removes Weft's own";
        }
        return "";
    }

    private static final class StreamReader extends Thread {
        private final InputStream in;
        private volatile String text = "";

        StreamReader(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException ignored) {
                // process gone
            }
        }

        String text() {
            return text;
        }
    }
}
