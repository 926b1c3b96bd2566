package io.weft.controlplane.model;

import io.weft.controlplane.error.WeftException;

/** An IPv4 subnet; first() and last() are the network and broadcast addresses. */
public record Cidr(long base, int prefix) {
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 30;

    public static Cidr parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw WeftException.invalid("%s is empty; give a CIDR such as 100.96.0.0/12", what);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw WeftException.invalid("%s '%s' has no prefix length; give a CIDR such as 100.96.0.0/12", what, text);
        }
        long base;
        try {
            base = Ipv4.parse(text.substring(0, slash), what);
        } catch (WeftException e) {
            throw WeftException.invalid("%s '%s' is not an IPv4 address followed by /prefix; give a CIDR such as 100.96.0.0/12", what, text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw WeftException.invalid("%s '%s' has a malformed prefix length", what, text);
        }
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw WeftException.invalid("%s '%s': prefix length must be between /%d and /%d", what, text, MIN_PREFIX, MAX_PREFIX);
        }
        Cidr cidr = new Cidr(base & mask(prefix), prefix);
        if (cidr.base != base) {
            throw WeftException.invalid("%s '%s' has host bits set; did you mean %s?", what, text, cidr);
        }
        return cidr;
    }

    static long mask(int prefix) {
        return (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    public long first() {
        return base;
    }

    public long last() {
        return base | (~mask(prefix) & 0xffffffffL);
    }

    /** Addresses that can be handed out: all but the first and the last. */
    public long usable() {
        return last() - first() - 1;
    }

    public boolean contains(long ip) {
        return ip >= first() && ip <= last();
    }

    public boolean isAssignable(long ip) {
        return ip > first() && ip < last();
    }

    public boolean overlaps(Cidr other) {
        return first() <= other.last() && other.first() <= last();
    }

    @Override
    public String toString() {
        return Ipv4.format(base) + "/" + prefix;
    }
}
