package io.weft.cli.addr;

/** Dotted-quad IPv4 parsing and CIDR arithmetic, enough for address arguments and route checks. */
public final class Ipv4 {
    private Ipv4() {
    }

    /** The address as an unsigned 32-bit value; IllegalArgumentException when not a dotted quad. */
    public static long parse(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (like 100.96.0.5)");
        }
        long v = 0;
        for (String o : p) {
            if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (like 100.96.0.5)");
            }
            v = (v << 8) | Integer.parseInt(o);
        }
        return v;
    }

    public static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    /** A CIDR block, normalised to its network address. */
    public record Cidr(long base, int prefix) {
        public static Cidr parse(String s) {
            int slash = s.indexOf('/');
            if (slash < 0 || !s.substring(slash + 1).matches("[0-9]{1,2}") || Integer.parseInt(s.substring(slash + 1)) > 32) {
                throw new IllegalArgumentException("'" + s + "' is not a CIDR block (like 100.96.0.0/12)");
            }
            int prefix = Integer.parseInt(s.substring(slash + 1));
            return new Cidr(Ipv4.parse(s.substring(0, slash)) & mask(prefix), prefix);
        }

        static long mask(int prefix) {
            return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        }

        public long last() {
            return base | (~mask(prefix) & 0xffffffffL);
        }

        public boolean contains(long ip) {
            return (ip & mask(prefix)) == base;
        }

        public boolean overlaps(Cidr o) {
            return base <= o.last() && o.base <= last();
        }

        @Override
        public String toString() {
            return format(base) + "/" + prefix;
        }
    }
}
