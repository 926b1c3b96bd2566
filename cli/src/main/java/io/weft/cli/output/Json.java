package io.weft.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * --json output: messages in protobuf's JSON mapping (lowerCamel field names, 64-bit integers as
 * strings, defaults included so scripts always find a field), objects of several messages keyed by
 * section.
 */
public final class Json {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().includingDefaultValueFields();

    private Json() {
    }

    public static String of(MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + m.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** An object whose members are already JSON texts (messages, or {@link #string}). */
    public static String object(Map<String, String> members) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : members.entrySet()) {
            sb.append("  ").append(string(e.getKey())).append(": ").append(e.getValue().replace("\n", "\n  "));
            sb.append(++i < members.size() ? ",\n" : "\n");
        }
        return sb.append('}').toString();
    }

    public static Map<String, String> members() {
        return new LinkedHashMap<>();
    }

    /** A JSON string literal. */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
