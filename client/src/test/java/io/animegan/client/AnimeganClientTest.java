package io.animegan.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the client waits for images: over the event stream, and by asking only while the stream fails. */
class AnimeganClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private HttpServer server;
    private AnimeganClient client;
    private final AtomicInteger streams = new AtomicInteger();
    private final Map<String, AtomicInteger> statusCalls = new ConcurrentHashMap<>();
    /** What GET /api/images/{id} answers, by id. */
    private final Map<String, String> phases = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/images/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/api/images/".length());
            int calls =
                    statusCalls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            String phase = phases.getOrDefault(id, "processing");
            // While the stream is refused, the first answers still say processing.
            if (phase.startsWith("after:")) {
                String[] parts = phase.split(":");
                phase = calls > Integer.parseInt(parts[1]) ? parts[2] : "processing";
            }
            respond(exchange, 200, "application/json", "{\"id\":\"" + id + "\",\"status\":\"" + phase + "\"}");
        });
        server.start();
        client = new AnimeganClient("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void followsTheEventStreamAndAsksOncePerFinishedImage() throws Exception {
        phases.put("a", "done");
        phases.put("b", "failed");
        events(exchange -> sse(
                exchange,
                status("a", "processing"),
                status("b", "queued"),
                status("a", "done"),
                status("b", "failed")));

        Map<String, String> finished = new ConcurrentHashMap<>();
        client.awaitFinished(
                List.of("a", "b"),
                TIMEOUT,
                (id, status) -> finished.put(id, status.path("status").asText()));

        assertThat(finished).containsExactlyInAnyOrderEntriesOf(Map.of("a", "done", "b", "failed"));
        assertThat(streams).hasValue(1);
        assertThat(statusCalls.get("a")).hasValue(1);
        assertThat(statusCalls.get("b")).hasValue(1);
    }

    @Test
    void opensANewStreamWhenTheServiceEndsOne() throws Exception {
        phases.put("a", "done");
        events(exchange -> {
            if (streams.get() == 1) {
                sse(exchange, status("a", "processing"));
            } else {
                sse(exchange, status("a", "done"));
            }
        });

        JsonNode status = client.awaitFinished("a", TIMEOUT);

        assertThat(status.path("status").asText()).isEqualTo("done");
        assertThat(streams).hasValue(2);
        assertThat(statusCalls.get("a")).hasValue(1);
    }

    @Test
    void asksForTheStatusWhileTheStreamIsRefused() throws Exception {
        phases.put("a", "after:2:done");
        events(exchange -> respond(exchange, 503, "application/json", "{\"error\":\"too many streams\"}"));

        JsonNode status = client.awaitFinished("a", TIMEOUT);

        assertThat(status.path("status").asText()).isEqualTo("done");
        assertThat(statusCalls.get("a").get()).isEqualTo(3);
        assertThat(streams.get()).isEqualTo(3);
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void events(Handler handler) {
        server.createContext("/api/events", exchange -> {
            streams.incrementAndGet();
            assertThat(exchange.getRequestHeaders().getFirst("Accept")).contains("text/event-stream");
            handler.handle(exchange);
        });
    }

    private static String status(String id, String phase) {
        return "event: status\ndata: {\"id\":\"" + id + "\",\"status\":\"" + phase + "\"}\n\n";
    }

    private static void sse(HttpExchange exchange, String... events) throws IOException {
        respond(exchange, 200, "text/event-stream", String.join("", events));
    }

    private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
