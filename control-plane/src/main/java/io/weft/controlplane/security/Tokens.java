package io.weft.controlplane.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.weft.controlplane.config.WeftConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The admin and join tokens. Configured ones win; otherwise they are read from, or generated into,
 * the data directory (mode 0600) so they survive restarts and an operator can find them.
 */
@Startup
@ApplicationScoped
public class Tokens {
    private static final Logger LOG = Logger.getLogger(Tokens.class);
    public static final String ADMIN_FILE = "admin.token";
    public static final String JOIN_FILE = "join.token";

    private final byte[] admin;
    private final byte[] join;

    @Inject
    public Tokens(WeftConfig config) {
        Path dir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        this.admin = load(config.adminToken(), dir.resolve(ADMIN_FILE), "admin").getBytes(StandardCharsets.UTF_8);
        this.join = load(config.joinToken(), dir.resolve(JOIN_FILE), "join").getBytes(StandardCharsets.UTF_8);
    }

    private static String load(Optional<String> configured, Path file, String what) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().trim();
        }
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!token.isEmpty()) {
                    LOG.infof("%s token: read from %s", what, file);
                    return token;
                }
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String token = "weft-" + what + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            LOG.infof("%s token: generated into %s (mode 0600)", what, file);
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the " + what + " token at " + file + ": " + e.getMessage()
                    + "; set WEFT_" + what.toUpperCase() + "_TOKEN or make WEFT_DATA_DIR writable", e);
        }
    }

    /** The role a bearer token grants, or null. Constant-time comparisons. */
    public Role roleOf(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            return null;
        }
        byte[] given = bearer.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, admin)) {
            return Role.ADMIN;
        }
        if (MessageDigest.isEqual(given, join)) {
            return Role.AGENT;
        }
        return null;
    }

    /** Extracts the token from an "Authorization: Bearer ..." value. */
    public static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }
}
