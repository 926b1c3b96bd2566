package io.weft.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * "Key: value" lines with the keys right-aligned on the colon, the layout of the original tool's
 * status ({@code        Version: 2.8.1}). Keys are padded to a fixed width so sections line up.
 */
public final class Fields {
    static final int KEY_WIDTH = 15;
    private final List<String> lines = new ArrayList<>();

    public Fields add(String key, Object value) {
        String v = value == null || value.toString().isEmpty() ? "-" : value.toString();
        lines.add(" ".repeat(Math.max(0, KEY_WIDTH - key.length())) + key + ": " + v);
        return this;
    }

    public Fields blank() {
        lines.add("");
        return this;
    }

    @Override
    public String toString() {
        return String.join("\n", lines) + "\n";
    }
}
