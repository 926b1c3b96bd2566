package io.weft.dataplane.daemon;

import io.weft.dataplane.seal.NetworkPassword;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The network password's derived key in the state directory ({@code password.key}, 32 bytes, mode
 * 0600, next to the host key): a daemon started with WEFT_PASSWORD keeps the key, never the
 * password, so that a restart (weft stop / start, a service restart) joins the same encrypted
 * network without the password being written anywhere. Starting with WEFT_PASSWORD again replaces
 * it; deleting the file (or the state directory) forgets it.
 */
final class PasswordKeyFile {
    static final String FILE = "password.key";

    private PasswordKeyFile() {
    }

    static void store(Path dir, NetworkPassword password) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, password.derivedKey());
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The kept key, or {@link NetworkPassword#none()} when there is none. */
    static NetworkPassword load(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return NetworkPassword.none();
        }
        byte[] key = Files.readAllBytes(f);
        if (key.length != 32) {
            throw new IOException(f + " is not a password key (" + key.length + " bytes, expected 32): delete it and"
                    + " start with WEFT_PASSWORD");
        }
        return NetworkPassword.ofDerivedKey(key);
    }
}
