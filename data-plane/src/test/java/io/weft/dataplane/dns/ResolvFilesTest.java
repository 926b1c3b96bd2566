package io.weft.dataplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the host's resolv.conf and writing containers' ones. */
class ResolvFilesTest {
    @TempDir
    Path dir;

    @Test
    void nameserversInOrderWithoutDuplicatesOrHostNames() {
        List<InetSocketAddress> ns = ResolvConf.nameservers("""
                # comment
                search example.test
                nameserver 198.18.0.53
                nameserver   198.18.0.54
                nameserver 198.18.0.53
                nameserver fe80::1%eth0
                nameserver resolver.example.test
                options ndots:2
                """);
        assertEquals(3, ns.size());
        assertEquals("198.18.0.53", ns.get(0).getAddress().getHostAddress());
        assertEquals("198.18.0.54", ns.get(1).getAddress().getHostAddress());
        assertEquals(53, ns.get(0).getPort());
    }

    @Test
    void containerFilesAreWrittenRemovedAndOthersLeftAlone() throws Exception {
        ContainerResolvConf h1 = new ContainerResolvConf(dir, "h1", Path.of("/var/lib/weft-a"));
        ContainerResolvConf h2 = new ContainerResolvConf(dir, "h2", Path.of("/var/lib/weft-b"));
        ContainerResolvConf h1Elsewhere = new ContainerResolvConf(dir, "h1", Path.of("/var/lib/weft-b"));
        assertTrue(h1.write("c1", List.of("100.64.1.2"), List.of("weave.local")));
        String content = Files.readString(dir.resolve("c1/resolv.conf"));
        assertTrue(content.contains("nameserver 100.64.1.2\n"));
        assertTrue(content.contains("search weave.local\n"));
        assertEquals(List.of("c1"), h1.written());
        assertEquals(List.of(), h2.written());
        assertEquals(List.of(), h1Elsewhere.written(), "another daemon with the same host name (a test harness)");
        assertFalse(h2.write("c1", List.of("100.64.1.3"), List.of()), "another host's file is not overwritten");
        h2.remove("c1");
        assertTrue(Files.exists(dir.resolve("c1/resolv.conf")));
        h1.remove("c1");
        assertFalse(Files.exists(dir.resolve("c1")));

        Files.createDirectories(dir.resolve("mine"));
        Files.writeString(dir.resolve("mine/resolv.conf"), "nameserver 198.18.0.1\n");
        assertFalse(h1.write("mine", List.of("100.64.1.2"), List.of("weave.local")));
        h1.remove("mine");
        assertEquals("nameserver 198.18.0.1\n", Files.readString(dir.resolve("mine/resolv.conf")));
    }
}
