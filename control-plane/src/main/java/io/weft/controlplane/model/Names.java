package io.weft.controlplane.model;

import io.weft.controlplane.error.WeftException;

/** Validation of the names Weft stores: resource names, DNS names, owners. */
public final class Names {
    public static final String DEFAULT_DOMAIN = "weave.local";
    public static final int MAX_FQDN = 253;
    public static final int MAX_LABEL = 63;
    public static final int MAX_OWNER = 128;

    private Names() {
    }

    /** A resource name (network, host): one lower-case DNS label. */
    public static String resourceName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw WeftException.invalid("%s name is empty", what);
        }
        if (name.length() > MAX_LABEL) {
            throw WeftException.invalid("%s name '%s...' is %d characters; at most %d are allowed",
                    what, name.substring(0, 16), name.length(), MAX_LABEL);
        }
        String lower = asciiLower(name);
        if (lower == null || !isLabel(lower)) {
            throw WeftException.invalid("%s name '%s' is invalid: use letters, digits and '-', not starting or ending with '-'", what, name);
        }
        return lower;
    }

    /**
     * A DNS name, lower-cased, without trailing dot. A single label gets {@code domain} appended,
     * as a container's search domain would.
     */
    public static String dnsName(String name, String domain) {
        if (name == null || name.isBlank()) {
            throw WeftException.invalid("DNS name is empty");
        }
        String n = asciiLower(name);
        if (n == null) {
            throw WeftException.invalid("DNS name '%s' is invalid: it has characters other than ASCII letters, digits, '-' and '.'", name);
        }
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        } else if (n.indexOf('.') < 0) {
            n = n + "." + dnsDomain(domain == null || domain.isEmpty() ? DEFAULT_DOMAIN : domain);
        }
        if (n.length() > MAX_FQDN) {
            throw WeftException.invalid("DNS name '%s...' is %d characters; at most %d are allowed", n.substring(0, 32), n.length(), MAX_FQDN);
        }
        for (String label : n.split("\\.", -1)) {
            if (label.length() > MAX_LABEL) {
                throw WeftException.invalid("DNS name '%s' has a label of %d characters; at most %d are allowed", n, label.length(), MAX_LABEL);
            }
            if (!isLabel(label)) {
                throw WeftException.invalid("DNS name '%s' is invalid: labels are letters, digits and '-', not starting or ending with '-'", n);
            }
        }
        return n;
    }

    /** A DNS domain (e.g. weave.local), lower-cased, without trailing dot. */
    public static String dnsDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            return DEFAULT_DOMAIN;
        }
        String d = asciiLower(domain);
        if (d == null) {
            throw WeftException.invalid("DNS domain '%s' is invalid: it has characters other than ASCII letters, digits, '-' and '.'", domain);
        }
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.length() > MAX_FQDN - 2) {
            throw WeftException.invalid("DNS domain '%s' is invalid: give a domain such as weave.local", domain);
        }
        for (String label : d.split("\\.", -1)) {
            if (label.length() > MAX_LABEL || !isLabel(label)) {
                throw WeftException.invalid("DNS domain '%s' is invalid: labels are letters, digits and '-'", domain);
            }
        }
        return d;
    }

    /** An owner or container id: 1..128 printable ASCII characters. */
    public static String owner(String owner, String what) {
        if (owner == null || owner.isEmpty()) {
            throw WeftException.invalid("%s is empty", what);
        }
        if (owner.length() > MAX_OWNER) {
            throw WeftException.invalid("%s is %d characters; at most %d are allowed", what, owner.length(), MAX_OWNER);
        }
        for (int i = 0; i < owner.length(); i++) {
            char c = owner.charAt(i);
            if (c <= ' ' || c > '~') {
                throw WeftException.invalid("%s '%s' contains a space or non-printable character", what, owner);
            }
        }
        return owner;
    }

    /**
     * Lower-cases ASCII letters only, or returns null if the text has any non-ASCII character
     * (some, like the Kelvin sign, would otherwise lower-case into ASCII and slip through).
     */
    static String asciiLower(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            char c = s.charAt(i);
            if (c > 0x7e) {
                return null;
            }
            out[i] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    static boolean isLabel(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_LABEL || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
