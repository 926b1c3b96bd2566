package io.weft.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The control plane's own view (/q/metrics): push latency, snapshots, cut-backs, flow-control pauses. */
final class ServerMetrics {
    private static final List<String> WANTED = List.of("weft_watch_push_latency_seconds_count", "weft_watch_push_latency_seconds_sum",
            "weft_watch_push_latency_seconds_max", "weft_watch_snapshots_sent_total", "weft_watch_cut_back_total",
            "weft_watch_flow_control_pauses_total", "weft_watchers_connected", "weft_revision");

    private ServerMetrics() {
    }

    static List<String> scrape(String host, int port, String adminToken) {
        List<String> out = new ArrayList<>();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/q/metrics"))
                    .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            for (String line : resp.body().split("\n")) {
                for (String w : WANTED) {
                    if (line.startsWith(w + " ") || line.startsWith(w + "{")) {
                        out.add(line);
                    }
                }
            }
        } catch (Exception e) {
            out.add("(metrics not available: " + e.getMessage() + ")");
        }
        return out;
    }
}
