package io.weft.controlplane.model;

import io.weft.controlplane.error.WeftException;

/** IPv4 addresses as unsigned 32-bit values in a long (what the store indexes). */
public final class Ipv4 {
    private Ipv4() {
    }

    /** Parses a dotted quad strictly: four decimal octets 0..255, no leading '+', no spaces. */
    public static long parse(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw WeftException.invalid("%s is empty; give an IPv4 address such as 100.96.0.5", what);
        }
        long value = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw WeftException.invalid("%s '%s' is not an IPv4 address (dotted quad such as 100.96.0.5)", what, text);
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                throw WeftException.invalid("%s '%s' is not an IPv4 address (dotted quad such as 100.96.0.5)", what, text);
            }
            value = (value << 8) | octet;
            octets++;
            i++;
            if (octets == 4) {
                break;
            }
        }
        if (octets != 4 || i <= n) {
            throw WeftException.invalid("%s '%s' is not an IPv4 address (dotted quad such as 100.96.0.5)", what, text);
        }
        return value;
    }

    public static String format(long ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }
}
