package io.weft.cli.launch;

import io.weft.cli.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What launch was given, kept so start can bring the same services back: the data plane's
 * environment (WEFT_* variables), whether a local control plane belongs to this host and its
 * environment. One KEY=VALUE per line, mode 0600 (it holds the join token). Never the network
 * password (WEFT_PASSWORD): it is not stored in plain text anywhere; the daemon keeps only the key
 * it derived from it, in its state directory, and rejoins with that on start.
 */
public record LaunchSettings(Map<String, String> dataPlaneEnv, boolean localControlPlane, Map<String, String> controlPlaneEnv) {
    private static final String DP = "dp.";
    private static final String CP = "cp.";
    private static final String LOCAL_CP = "local-control-plane";
    /** Settings that are never written (see the class comment). */
    static final java.util.Set<String> NEVER_STORED = java.util.Set.of("WEFT_PASSWORD");

    public void save(Path file) {
        StringBuilder sb = new StringBuilder("# written by weft launch; read by weft start\n");
        sb.append(LOCAL_CP).append('=').append(localControlPlane).append('\n');
        dataPlaneEnv.forEach((k, v) -> {
            if (!NEVER_STORED.contains(k)) {
                sb.append(DP).append(k).append('=').append(escape(v)).append('\n');
            }
        });
        controlPlaneEnv.forEach((k, v) -> {
            if (!NEVER_STORED.contains(k)) {
                sb.append(CP).append(k).append('=').append(escape(v)).append('\n');
            }
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, sb);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new WeftException("cannot write " + file + ": " + e.getMessage());
        }
    }

    public static LaunchSettings load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new WeftException("weft was never launched with this state directory (" + file + " missing): use 'weft launch'");
        }
        Map<String, String> dp = new LinkedHashMap<>();
        Map<String, String> cp = new LinkedHashMap<>();
        boolean local = false;
        for (String l : lines) {
            int eq = l.indexOf('=');
            if (l.startsWith("#") || eq < 0) {
                continue;
            }
            String k = l.substring(0, eq);
            String v = unescape(l.substring(eq + 1));
            if (k.equals(LOCAL_CP)) {
                local = Boolean.parseBoolean(v);
            } else if (k.startsWith(DP)) {
                dp.put(k.substring(DP.length()), v);
            } else if (k.startsWith(CP)) {
                cp.put(k.substring(CP.length()), v);
            }
        }
        return new LaunchSettings(dp, local, cp);
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String unescape(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
