package io.weft.dataplane.dns;

/**
 * An IPv4 prefix ("100.64.1.0/24") held as two ints, so that membership tests on the query path
 * (is this client one of ours? is this PTR name a Weft address?) allocate nothing.
 */
public record Ipv4Prefix(int base, int mask) {
    /** Parses "a.b.c.d/len"; null when malformed (a network with a bad CIDR is simply not served). */
    public static Ipv4Prefix parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            return null;
        }
        int addr = parseAddress(cidr.substring(0, slash));
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (addr == -1 || len < 0 || len > 32) {
            return null;
        }
        int mask = len == 0 ? 0 : -1 << (32 - len);
        return new Ipv4Prefix(addr & mask, mask);
    }

    public boolean contains(int address) {
        return (address & mask) == base;
    }

    /** Dotted quad to int; -1 when malformed (255.255.255.255 is never a container address). */
    public static int parseAddress(String s) {
        int value = 0;
        int parts = 0;
        int octet = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (octet < 0 || ++parts > 4) {
                    return -1;
                }
                value = (value << 8) | octet;
                octet = -1;
            } else if (c >= '0' && c <= '9') {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            } else {
                return -1;
            }
        }
        return parts == 4 ? value : -1;
    }

    /** Big-endian int of a 4-byte address. */
    public static int toInt(byte[] a) {
        return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
    }
}
