package io.weft.cli.commands;

import com.google.protobuf.MessageOrBuilder;
import io.weft.cli.output.Json;
import java.util.List;

/** JSON arrays of answers, for verbs that make one call per address. */
final class Jsons {
    private Jsons() {
    }

    static String list(List<? extends MessageOrBuilder> messages) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            sb.append(i == 0 ? "\n  " : ",\n  ").append(Json.of(messages.get(i)).replace("\n", "\n  "));
        }
        return sb.append(messages.isEmpty() ? "]" : "\n]").toString();
    }
}
