package io.weft.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.api.v1.Attachment;
import io.weft.api.v1.Change;
import io.weft.api.v1.PersistedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void roundTripThroughTheModel() throws IOException {
        TopologyModel m = new TopologyModel();
        m.apply(Fixtures.snapshot());
        m.apply(Fixtures.delta(11, Change.newBuilder().setEndpointRemoved("ep-2").build()));
        PersistedState saved = PersistedState.newBuilder().setSnapshot(m.snapshot()).setStoreId("store-1").setPeerId(2)
                .setHostName("h2").addAttachments(Attachment.newBuilder().setEndpointId("ep-4").setContainerId("netns:c4")
                        .setTarget("netns:c4").setNetwork("red").setInterface("ethwe").setHostInterface("weftv01234567").setRevision(9))
                .build();
        StateStore store = new StateStore(dir.resolve("state"));
        assertNull(store.load(), "nothing persisted yet");
        store.save(saved);
        PersistedState loaded = store.load();
        assertEquals(saved, loaded);

        TopologyModel restored = new TopologyModel();
        restored.apply(loaded.getSnapshot());
        assertEquals(11, restored.revision(), "the restored model resumes from the persisted revision");
        assertEquals(m.snapshot(), restored.snapshot());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertFalse(Files.exists(store.file().resolveSibling(StateStore.FILE + ".tmp")), "no temporary file left");
    }

    @Test
    void saveReplacesTheOldState() throws IOException {
        StateStore store = new StateStore(dir);
        store.save(PersistedState.newBuilder().setHostName("a").setPeerId(1).build());
        store.save(PersistedState.newBuilder().setHostName("a").setPeerId(2).build());
        assertEquals(2, store.load().getPeerId());
    }

    @Test
    void corruptFileSaysWhatToDo() throws IOException {
        StateStore store = new StateStore(dir);
        Files.write(store.file(), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        IOException e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().contains("move it away"), e.getMessage());
    }

    @Test
    void hostKeyIsGeneratedOnceAndKeptPrivate() throws IOException {
        HostKey a = HostKey.loadOrCreate(dir);
        HostKey b = HostKey.loadOrCreate(dir);
        assertEquals(32, a.publicKeyBytes().length);
        byte[] x509 = a.publicKey().getEncoded();
        assertArrayEquals(java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length), a.publicKeyBytes(),
                "the raw key is RFC 7748's little-endian u-coordinate, as in the X.509 encoding");
        assertArrayEquals(a.publicKeyBytes(), b.publicKeyBytes(), "the same key across restarts");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(HostKey.PRIVATE_FILE))));
        HostKey other = HostKey.loadOrCreate(dir.resolve("other"));
        assertNotEquals(HostKey.fingerprint(a.publicKeyBytes()), HostKey.fingerprint(other.publicKeyBytes()));
    }
}
