package io.weft.cli.launch;

import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starting this host's services the way launch and start both do: the local control plane (when
 * this host has one) until it is ready, then the data plane until its local API answers and it is
 * synced with the control plane. Every wait is bounded; a service that exits early is reported
 * with the end of its log.
 */
public final class Services {
    /** The control plane's port (its WEFT_PORT), fixed for a launched one. */
    public static final int CONTROL_PLANE_PORT = 6785;

    private Services() {
    }

    static Path jar(String env, String property, String what) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        if (v == null || v.isBlank()) {
            throw new WeftException("cannot find the " + what + " (quarkus-run.jar): set " + env);
        }
        return Path.of(v);
    }

    static List<String> javaOpts() {
        String v = System.getenv("WEFT_JAVA_OPTS");
        List<String> opts = new ArrayList<>();
        if (v != null) {
            for (String o : v.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    opts.add(o);
                }
            }
        }
        return opts;
    }

    public static ProcessHandle startControlPlane(StateDir dir, Map<String, String> env, int waitSeconds) {
        ManagedProcess cp = dir.controlPlane();
        if (cp.running().isPresent()) {
            return cp.running().get();
        }
        ProcessHandle h = cp.start(jar("WEFT_CONTROL_PLANE_JAR", "weft.control-plane-jar", "control plane"), javaOpts(), env, List.of());
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (!ready("http://127.0.0.1:" + CONTROL_PLANE_PORT + "/q/health/ready")) {
            if (!h.isAlive()) {
                throw new WeftException("the control plane exited at start; see " + cp.log() + ":\n" + cp.tail(15));
            }
            if (System.nanoTime() > deadline) {
                throw new WeftException("the control plane is not ready after " + waitSeconds + " s; see " + cp.log());
            }
            sleep(250);
        }
        return h;
    }

    private static boolean ready(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts the data plane and waits until it answers and is synced; returns its last status. */
    public static LocalStatus startDataPlane(StateDir dir, Map<String, String> env, DaemonApi api, int waitSeconds) {
        ManagedProcess dp = dir.dataPlane();
        // WEFT_PORT of the caller's shell may mean the control plane's port: the daemon gets its own.
        ProcessHandle h = dp.start(jar("WEFT_DATA_PLANE_JAR", "weft.data-plane-jar", "data plane"), javaOpts(), env, List.of("WEFT_PORT"));
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        LocalStatus last = null;
        while (true) {
            if (!h.isAlive()) {
                throw new WeftException("the data plane exited at start; see " + dp.log() + ":\n" + dp.tail(15));
            }
            if (api.reachable()) {
                last = api.call(s -> s.status(LocalStatusRequest.getDefaultInstance()));
                if (last.getSynced() || last.getRunningOnPersistedState()) {
                    return last;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new WeftException("the data plane (pid " + h.pid() + ") is not synced after " + waitSeconds + " s ("
                        + (last == null ? "local API not answering" : last.getNotReadyReason()) + "); see " + dp.log());
            }
            sleep(250);
        }
    }

    /** Starts what the last launch with this state directory started, with its settings. */
    public static LocalStatus startLaunched(StateDir dir, DaemonApi api, int waitSeconds) {
        LaunchSettings s = LaunchSettings.load(dir.settings());
        if (s.localControlPlane()) {
            startControlPlane(dir, s.controlPlaneEnv(), waitSeconds);
        }
        return startDataPlane(dir, s.dataPlaneEnv(), api, waitSeconds);
    }

    /** The generated token the local control plane wrote into its data directory. */
    public static String token(StateDir dir, String name) {
        try {
            return Files.readString(dir.controlPlaneData().resolve(name + ".token")).trim();
        } catch (IOException e) {
            throw new WeftException("the control plane wrote no " + name + " token into " + dir.controlPlaneData() + ": " + e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException("interrupted");
        }
    }
}
