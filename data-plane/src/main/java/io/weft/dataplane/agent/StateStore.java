package io.weft.dataplane.agent;

import io.weft.api.v1.PersistedState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The daemon's state file ({@code state.pb} in the state directory): the last synced topology, the
 * store it came from, this host's peer id and where each local endpoint is plumbed. Written
 * atomically (a temporary file in the same directory, fsync, rename), so a crash leaves either the
 * old or the new file, never a torn one. Mode 0600: it names every host and address.
 */
public final class StateStore {
    public static final String FILE = "state.pb";

    private final Path dir;
    private final Path file;

    public StateStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** The persisted state, or null when there is none. A corrupt file is an error naming it. */
    public PersistedState load() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return PersistedState.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException("state file " + file + " is corrupt (" + e.getMessage()
                    + "); move it away and the daemon re-syncs from the control plane", e);
        }
    }

    public void save(PersistedState state) throws IOException {
        ensureDir(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            restrict(tmp);
            state.writeTo(out);
            out.flush();
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Creates the directory (mode 0700) when missing. */
    public static void ensureDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
    }

    static void restrict(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
