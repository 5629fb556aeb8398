package io.animegan.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The stage processes' HTTP port, over real HTTP. */
class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesMetricsHealthAndReadinessThatFollowsTheProcess() throws Exception {
        AtomicReference<Readiness> readiness = new AtomicReference<>(Readiness.no("loading models"));
        try (MetricsServer server = MetricsServer.start(0, readiness::get)) {
            String base = "http://localhost:" + server.port();

            HttpResponse<String> notReady = get(base + "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"reason\":\"loading models\"");
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);

            readiness.set(Readiness.yes());
            assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("animegan_process_resident_memory_bytes");
            assertThat(get(base + "/metrics/other").statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
