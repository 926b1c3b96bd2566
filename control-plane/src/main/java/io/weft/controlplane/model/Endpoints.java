package io.weft.controlplane.model;

import io.weft.controlplane.error.WeftException;

/** Underlay endpoints: "ip" or "ip:port", normalised to "ip:port". */
public final class Endpoints {
    public static final int DEFAULT_PORT = 6783;

    private Endpoints() {
    }

    public static String normalize(String text, String what) {
        if (text == null || text.isBlank()) {
            throw WeftException.invalid("%s is empty; give ip or ip:port such as 198.18.0.2:6783", what);
        }
        int colon = text.lastIndexOf(':');
        String ipPart = colon < 0 ? text : text.substring(0, colon);
        long ip = Ipv4.parse(ipPart, what);
        int port = DEFAULT_PORT;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw WeftException.invalid("%s '%s' has an invalid port; use 1..65535", what, text);
            }
        }
        return Ipv4.format(ip) + ":" + port;
    }
}
