package io.animegan.common.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The small HTTP port of a stage process (which has no other): {@code /metrics} in the Prometheus
 * text format, {@code /healthz} (the process answers) and {@code /readyz} (200 when ready, else 503
 * with the reason as JSON), for Prometheus and Kubernetes probes. Uses the JDK's HTTP server.
 */
public final class MetricsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** @param port 0 for any free port (see {@link #port()}) */
    public static MetricsServer start(int port, Supplier<Readiness> readiness) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            route(
                    server,
                    "/metrics",
                    exchange -> respond(exchange, 200, AnimeganMetrics.CONTENT_TYPE, AnimeganMetrics.scrape()));
            route(server, "/healthz", exchange -> respondJson(exchange, 200, "ok", null));
            route(server, "/readyz", exchange -> {
                Readiness now = readiness.get();
                respondJson(exchange, now.ready() ? 200 : 503, now.ready() ? "ready" : "not ready", now.reason());
            });
            ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "metrics-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.start();
            return new MetricsServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics port " + port, e);
        }
    }

    /** A context answers its path and everything below it; these answer exactly one path. */
    private static void route(HttpServer server, String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            if (exchange.getRequestURI().getPath().equals(path)) {
                handler.handle(exchange);
            } else {
                try (exchange) {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respondJson(HttpExchange exchange, int status, String state, String reason) throws IOException {
        Map<String, String> body = reason == null ? Map.of("status", state) : Map.of("status", state, "reason", reason);
        respond(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
