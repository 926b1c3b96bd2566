package io.weft.cli.launch;

import java.nio.file.Path;

/**
 * Where launch keeps what stop, start and reset need on this host: the daemon's state (its key
 * pair and last topology, written by the daemon itself), pid files, logs, the settings launch was
 * given, and the local control plane's data directory when launch started one.
 * Chosen by --state-dir, else WEFT_STATE_DIR, else /var/lib/weft (the daemon's own default).
 */
public record StateDir(Path root) {
    public static final String DEFAULT = "/var/lib/weft";

    public static StateDir of(String option) {
        String dir = option;
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("WEFT_STATE_DIR");
        }
        if (dir == null || dir.isBlank()) {
            dir = DEFAULT;
        }
        return new StateDir(Path.of(dir).toAbsolutePath().normalize());
    }

    public Path settings() {
        return root.resolve("launch.env");
    }

    public Path controlPlaneData() {
        return root.resolve("control-plane");
    }

    public ManagedProcess dataPlane() {
        return new ManagedProcess("data plane", root.resolve("data-plane.pid"), root.resolve("data-plane.log"));
    }

    public ManagedProcess controlPlane() {
        return new ManagedProcess("control plane", controlPlaneData().resolve("control-plane.pid"),
                controlPlaneData().resolve("control-plane.log"));
    }
}
