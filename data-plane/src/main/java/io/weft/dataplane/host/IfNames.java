package io.weft.dataplane.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Names of everything the daemon creates on a host. All start with {@code weft} and follow one of
 * four exact patterns, so reconciliation and reset remove exactly Weft's own interfaces and never
 * anything else (at most 15 characters, the kernel's limit):
 * <ul>
 *   <li>{@code weft-<isolation id>}: a network's bridge (e.g. {@code weft-100});</li>
 *   <li>{@code weftt<isolation id>}: the daemon's TAP on that bridge;</li>
 *   <li>{@code weftv<8 hex>}: the host end of a container's veth pair;</li>
 *   <li>{@code weftg<8 hex>}: the container end before it is moved and renamed (a leftover of a
 *       failed attach).</li>
 * </ul>
 * The hex is derived from (container id, network), so the same attachment always gets the same name.
 */
public final class IfNames {
    public static final String CONTAINER_IF = "ethwe";
    private static final Pattern OURS = Pattern.compile("weft(-[0-9]{1,8}|t[0-9]{1,8}|v[0-9a-f]{8}|g[0-9a-f]{8})");

    private IfNames() {
    }

    public static String bridge(int isolationId) {
        return "weft-" + isolationId;
    }

    public static String tap(int isolationId) {
        return "weftt" + isolationId;
    }

    public static String vethHost(String containerId, String network) {
        return "weftv" + hash(containerId, network);
    }

    public static String vethGuest(String containerId, String network) {
        return "weftg" + hash(containerId, network);
    }

    public static boolean isOurs(String ifName) {
        return OURS.matcher(ifName).matches();
    }

    public static boolean isBridge(String ifName) {
        return ifName.startsWith("weft-") && isOurs(ifName);
    }

    public static boolean isTap(String ifName) {
        return ifName.startsWith("weftt") && isOurs(ifName);
    }

    static String hash(String containerId, String network) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest((containerId + "\0" + network).getBytes(StandardCharsets.UTF_8));
            return String.format("%02x%02x%02x%02x", d[0] & 0xFF, d[1] & 0xFF, d[2] & 0xFF, d[3] & 0xFF);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
