package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.metrics.AnimeganMetrics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Ingest's request metrics and /metrics route, on a real Javalin server. */
class IngestMetricsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final MeterRegistry registry = AnimeganMetrics.registry();

    @Test
    void requestsAreTimedByRouteTemplateAndUploadsCountedByResult() throws Exception {
        Javalin app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.routes.get("/metrics-test/{id}", ctx -> ctx.result("ok"));
                    cfg.routes.post("/api/images", ctx -> ctx.status(ctx.body().isEmpty() ? 400 : 202));
                    IngestMetrics.install(cfg);
                })
                .start(0);
        try {
            String base = "http://localhost:" + app.port();
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/metrics-test/abc"))
                                    .build())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/metrics-test/def"))
                                    .build())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/no-such-page"))
                                    .build())
                            .statusCode())
                    .isEqualTo(404);
            double acceptedBefore = count("accepted", "202");
            double refusedBefore = count("refused", "400");
            send(HttpRequest.newBuilder(URI.create(base + "/api/images"))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build());
            send(HttpRequest.newBuilder(URI.create(base + "/api/images"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());

            assertThat(registry.get(IngestMetrics.REQUESTS)
                            .tags("route", "/metrics-test/{id}", "status", "200")
                            .timer()
                            .count())
                    .as("ids stay out of the route label")
                    .isEqualTo(2);
            assertThat(registry.get(IngestMetrics.REQUESTS)
                            .tags("route", "other", "status", "404")
                            .timer()
                            .count())
                    .isPositive();
            assertThat(count("accepted", "202") - acceptedBefore).isEqualTo(1);
            assertThat(count("refused", "400") - refusedBefore).isEqualTo(1);

            HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(base + IngestMetrics.PATH))
                    .build());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("animegan_http_server_requests_seconds_count{")
                    .contains("route=\"/metrics-test/{id}\"")
                    .contains("animegan_ingest_uploads_total{");
        } finally {
            app.stop();
        }
    }

    private double count(String result, String status) {
        var counter = registry.find(IngestMetrics.UPLOADS)
                .tags("result", result, "status", status)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
