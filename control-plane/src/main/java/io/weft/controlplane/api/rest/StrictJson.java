package io.weft.controlplane.api.rest;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import io.weft.controlplane.error.WeftException;

/**
 * protobuf's JSON parser reads through Gson in lenient mode (single quotes, comments, trailing
 * garbage, repeated keys where the last silently wins). A request body is checked here first, so
 * only one strict JSON document with unique keys reaches it.
 */
final class StrictJson {
    private static final int MAX_DEPTH = 32;

    private StrictJson() {
    }

    static void check(String body) {
        try (JsonReader r = new JsonReader(new StringReader(body))) {
            r.setLenient(false);
            value(r, 0);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw WeftException.invalid("malformed JSON body: more than one JSON value");
            }
        } catch (MalformedJsonException | IllegalStateException e) {
            throw WeftException.invalid("malformed JSON body: %s", e.getMessage());
        } catch (IOException e) {
            throw WeftException.invalid("malformed JSON body: %s", e.getMessage());
        }
    }

    private static void value(JsonReader r, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw WeftException.invalid("malformed JSON body: nested deeper than %d levels", MAX_DEPTH);
        }
        switch (r.peek()) {
            case BEGIN_OBJECT -> {
                r.beginObject();
                Set<String> keys = new HashSet<>();
                while (r.hasNext()) {
                    String key = r.nextName();
                    if (!keys.add(key)) {
                        throw WeftException.invalid("malformed JSON body: field '%s' appears twice", key);
                    }
                    value(r, depth + 1);
                }
                r.endObject();
            }
            case BEGIN_ARRAY -> {
                r.beginArray();
                while (r.hasNext()) {
                    value(r, depth + 1);
                }
                r.endArray();
            }
            default -> r.skipValue();
        }
    }
}
