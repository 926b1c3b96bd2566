package io.weft.dataplane.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolver file of a named network namespace: {@code ip netns exec NAME} bind-mounts
 * /etc/netns/NAME/resolv.conf over /etc/resolv.conf, so this is how a netns "container" is pointed
 * at Weft's DNS. Each file carries a first line naming the daemon that wrote it (host name and
 * state directory: several daemons may share one /etc, as in the end-to-end harness, even with
 * the same host names), and only that daemon ever rewrites or removes it; an operator's own file
 * is never touched.
 */
public final class ContainerResolvConf {
    private final Path netnsEtc;
    private final String marker;

    public ContainerResolvConf(Path netnsEtc, String hostName, Path stateDir) {
        this.netnsEtc = netnsEtc;
        this.marker = "# Weft DNS (data plane of host " + hostName + ", state " + stateDir.toAbsolutePath().normalize()
                + "); removed when the container is detached";
    }

    /** Writes the file (atomically, only when it differs); false when someone else's file is in the way. */
    public boolean write(String namespace, List<String> nameservers, List<String> searchDomains) throws IOException {
        Path dir = netnsEtc.resolve(namespace);
        Path file = dir.resolve("resolv.conf");
        StringBuilder sb = new StringBuilder(marker).append('\n');
        for (String ns : nameservers) {
            sb.append("nameserver ").append(ns).append('\n');
        }
        if (!searchDomains.isEmpty()) {
            sb.append("search ").append(String.join(" ", searchDomains)).append('\n');
        }
        String content = sb.toString();
        if (Files.exists(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            if (old.equals(content)) {
                return true;
            }
            if (!old.startsWith(marker + "\n")) {
                return false;
            }
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(".resolv.conf.weft-tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Removes our file of the namespace, and its directory when that is then empty. */
    public void remove(String namespace) throws IOException {
        Path dir = netnsEtc.resolve(namespace);
        Path file = dir.resolve("resolv.conf");
        if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).startsWith(marker + "\n")) {
            return;
        }
        Files.delete(file);
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
            if (!rest.iterator().hasNext()) {
                Files.delete(dir);
            }
        }
    }

    /** Namespaces that have a file written by this host. */
    public List<String> written() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(netnsEtc)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(netnsEtc)) {
            for (Path d : dirs) {
                Path f = d.resolve("resolv.conf");
                if (Files.isRegularFile(f) && Files.readString(f, StandardCharsets.UTF_8).startsWith(marker + "\n")) {
                    out.add(d.getFileName().toString());
                }
            }
        }
        return out;
    }
}
