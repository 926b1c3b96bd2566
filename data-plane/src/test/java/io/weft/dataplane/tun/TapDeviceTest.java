package io.weft.dataplane.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import org.junit.jupiter.api.Test;

class TapDeviceTest {
    @Test
    void memoryTapQueuesBothWays() {
        MemoryTap tap = new MemoryTap("mem0", true);
        tap.inject(new byte[] {1, 2, 3});
        tap.inject(new byte[] {4});
        FrameBatch batch = new FrameBatch(1, 100);
        assertEquals(1, tap.read(batch, 0), "batch capacity bounds a read");
        assertEquals(VirtioNetHdr.LENGTH + 3, batch.length(0), "vnet header added in front");
        assertEquals(1, tap.read(batch, 0));
        assertEquals(0, tap.write(batch), "write what was read");
        assertEquals(0, tap.read(batch, 0));
        assertEquals(1, tap.drainWritten().size());
    }

    /**
     * Opens a real TAP with the offloads when the tests run as root (CI in namespaces); skipped
     * otherwise. The TAP is not persistent: closing it removes it.
     */
    @Test
    void linuxTapOpensWithOffloadsWhenPrivileged() throws Exception {
        assumeTrue(new File("/dev/net/tun").canWrite() && "root".equals(System.getProperty("user.name")),
                "needs root and /dev/net/tun");
        try (LinuxTap tap = LinuxTap.open("wefttest%d", LinuxTap.DEFAULT_OFFLOADS)) {
            assertTrue(tap.name().startsWith("wefttest"), tap.name());
            assertTrue(tap.vnetHeader());
            FrameBatch batch = new FrameBatch(4, LinuxTap.MAX_READ);
            long t0 = System.nanoTime();
            assertEquals(0, tap.read(batch, 50), "interface is down: nothing to read");
            assertTrue(System.nanoTime() - t0 >= 40_000_000L, "read waited for the timeout");
            assertTrue(new File("/sys/class/net/" + tap.name()).exists());
        }
    }
}
