package io.weft.dataplane.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.seal.NetworkPassword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The derived password key survives restarts; the password itself is never written. */
class PasswordKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheDerivedKeyOnlyReadableByTheOwner() throws IOException {
        assertFalse(PasswordKeyFile.load(dir).isSet(), "no file: no password");
        String secret = "correct horse battery staple";
        NetworkPassword p = NetworkPassword.of(secret);
        PasswordKeyFile.store(dir, p);
        Path f = dir.resolve(PasswordKeyFile.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        byte[] stored = Files.readAllBytes(f);
        assertEquals(32, stored.length);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(secret), "the password is not in the file");
        NetworkPassword again = PasswordKeyFile.load(dir);
        assertTrue(again.isSet());
        assertArrayEquals(p.derivedKey(), again.derivedKey(), "a restart derives nothing and gets the same key");
    }

    @Test
    void refusesAFileThatIsNotAKeyAndSaysWhatToDo() throws IOException {
        Files.writeString(dir.resolve(PasswordKeyFile.FILE), "hunter2");
        IOException e = assertThrows(IOException.class, () -> PasswordKeyFile.load(dir));
        assertTrue(e.getMessage().contains("delete it and start with WEFT_PASSWORD"), e.getMessage());
    }
}
