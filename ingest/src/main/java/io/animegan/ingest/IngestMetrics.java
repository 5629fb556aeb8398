package io.animegan.ingest;

import io.animegan.common.metrics.AnimeganMetrics;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Ingest's part of the metrics: {@code /metrics} (every series of this JVM, so the stages of
 * {@code ./animegan run} too), the time and count of HTTP requests by route and status, and
 * uploads accepted or refused. {@code /metrics} is read by Prometheus inside the cluster and needs
 * no API token.
 */
public final class IngestMetrics {

    public static final String PATH = "/metrics";
    static final String REQUESTS = AnimeganMetrics.PREFIX + "http.server.requests";
    static final String UPLOADS = AnimeganMetrics.PREFIX + "ingest.uploads";
    /** The upload routes, by what they take (the {@code kind} tag). */
    static final Map<String, String> UPLOAD_ROUTES = Map.of("/api/images", "image", "/api/videos", "video");

    private IngestMetrics() {}

    /** Adds the /metrics route and times every request. */
    public static void install(JavalinConfig cfg) {
        MeterRegistry registry = AnimeganMetrics.registry();
        cfg.routes.get(
                PATH, ctx -> ctx.contentType(AnimeganMetrics.CONTENT_TYPE).result(AnimeganMetrics.scrape()));
        cfg.requestLogger.http((ctx, millis) -> record(registry, ctx, millis));
    }

    private static void record(MeterRegistry registry, Context ctx, float millis) {
        String route = Objects.requireNonNullElse(HttpTracing.route(ctx), "other");
        int status = ctx.statusCode();
        Timer.builder(REQUESTS)
                .description("HTTP requests to ingest, by route template and status")
                .tags("method", ctx.method().name(), "route", route, "status", String.valueOf(status))
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry)
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
        String kind = UPLOAD_ROUTES.get(route);
        if (ctx.method() == HandlerType.POST && kind != null) {
            Counter.builder(UPLOADS)
                    .description("Upload requests to ingest: accepted (202) or refused (4xx/5xx), by status and kind")
                    .tags(
                            "result",
                            status == 202 ? "accepted" : "refused",
                            "status",
                            String.valueOf(status),
                            "kind",
                            kind)
                    .register(registry)
                    .increment();
        }
    }
}
