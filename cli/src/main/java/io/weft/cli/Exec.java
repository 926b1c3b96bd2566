package io.weft.cli;

import java.io.IOException;
import java.util.List;

/** Runs a host command (ip, docker) and returns its output; failures say what the command said. */
public final class Exec {
    private Exec() {
    }

    /**
     * Runs argv; its stdout, trimmed. A non-zero exit becomes a WeftException with the command's
     * stderr; a missing program one that says how to get it (ifMissing).
     */
    public static String run(List<String> argv, String ifMissing) {
        try {
            Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (p.waitFor() != 0) {
                String why = new String(err).trim();
                throw new WeftException(String.join(" ", argv.subList(0, Math.min(2, argv.size()))) + " failed: "
                        + (why.isEmpty() ? "exit " + p.exitValue() : why.replace('\n', ' ')));
            }
            return new String(out).trim();
        } catch (IOException e) {
            throw new WeftException("cannot run " + argv.get(0) + " (" + e.getMessage() + "): " + ifMissing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException("interrupted");
        }
    }
}
