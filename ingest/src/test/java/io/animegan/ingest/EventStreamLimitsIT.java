package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.ingest.GuardSettings.StreamLimits;
import io.animegan.status.TestEvents;
import io.animegan.submission.RateLimit;
import io.animegan.submission.UploadValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event stream caps and isolation against a real broker and S3 server: past the per-tenant stream
 * cap the answer is 429 (past the total, 503). A reader that stops reading does not delay another
 * stream's events by more than 1 s; it is closed once its queue is full.
 */
class EventStreamLimitsIT {

    static final int PER_TENANT = 2;
    static final int TOTAL = 4;
    static final List<String> TOKENS = List.of("alpha:token-alpha", "beta:token-beta", "gamma:token-gamma");

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;

    @BeforeAll
    static void start() throws Exception {
        infra = Infra.start(dir);
        server = IngestServer.start(
                infra.config,
                new IngestSettings(0, 300_000)
                        .withApiTokens(TOKENS)
                        .withRateLimit(RateLimit.OFF)
                        .withGuards(GuardSettings.defaults()
                                .withStreams(new StreamLimits(PER_TENANT, TOTAL, Duration.ofMinutes(10)))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    /** An event stream on a raw socket, left unread; the answer's head is read up to its status line. */
    record RawStream(Socket socket, int status, String head) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static RawStream open(String token, String ids) throws IOException {
        Socket socket = new Socket();
        // A small receive window: the server's writes block after little data when this side stops reading.
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        socket.setSoTimeout(10_000);
        String request = "GET /api/events?ids=" + ids + " HTTP/1.1\r\nHost: localhost:" + server.port()
                + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String head = readHead(socket.getInputStream());
        return new RawStream(socket, Integer.parseInt(head.substring(9, 12)), head);
    }

    /** Opens a stream once the server has a slot again (answers 200): streams of an earlier test end at the server's heartbeats. */
    static RawStream openWhenFree(String token, String ids) {
        return Awaitility.await("a free event stream slot")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            RawStream stream = open(token, ids);
                            if (stream.status() == 200) {
                                return stream;
                            }
                            stream.close();
                            return null;
                        },
                        Objects::nonNull);
    }

    /** Reads byte by byte up to the blank line, so nothing of the body is taken. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Submissions of these pictures by {@code tenant}, folded: a stream answers only for its tenant's pictures. */
    static void submittedBy(String tenant, List<String> ids) throws Exception {
        infra.produceAll(ids.stream()
                .map(id -> TestEvents.submitted(id, id + ".jpg", tenant))
                .toList());
        Infra.await(
                "statuses known",
                () -> ids.stream().allMatch(id -> server.statuses().find(id).isPresent()));
    }

    @Test
    void pastThePerTenantCapTheAnswerIs429AndPastTheTotal503() throws Exception {
        submittedBy("alpha", List.of("cap-a0", "cap-a1", "cap-a9"));
        submittedBy(
                "beta",
                IntStream.range(0, TOTAL - PER_TENANT)
                        .mapToObj(i -> "cap-b" + i)
                        .toList());
        submittedBy("gamma", List.of("cap-g"));
        List<RawStream> open = new ArrayList<>();
        try {
            // The other test's streams may hold slots until the server's next heartbeats notice them gone.
            for (int i = 0; i < PER_TENANT; i++) {
                open.add(openWhenFree("token-alpha", "cap-a" + i));
            }
            try (RawStream third = open("token-alpha", "cap-a9")) {
                assertThat(third.status()).as(third.head()).isEqualTo(429);
                assertThat(third.head()).containsIgnoringCase("Retry-After:").containsIgnoringCase("application/json");
            }
            // The cap is the tenant's: another tenant still gets its streams, up to the total.
            for (int i = 0; i < TOTAL - PER_TENANT; i++) {
                open.add(openWhenFree("token-beta", "cap-b" + i));
            }
            try (RawStream full = open("token-gamma", "cap-g")) {
                assertThat(full.status()).as(full.head()).isEqualTo(503);
                assertThat(full.head()).containsIgnoringCase("Retry-After:");
            }
            // A stream that ends gives its slot back (once the server notices, at its next heartbeats).
            open.remove(0).close();
            openWhenFree("token-gamma", "cap-g").close();
        } finally {
            for (RawStream stream : open) {
                stream.close();
            }
        }
    }

    @Test
    void aReaderThatStopsReadingDoesNotDelayAnotherStream() throws Exception {
        List<String> ids = IntStream.range(0, ProgressRoutes.MAX_IDS)
                .mapToObj(i -> "slow-" + i)
                .toList();
        // Long names of 4-byte characters make big events (about 1 KiB), so the stuck reader's socket
        // buffers (up to 4 MiB on the server's side) and then its queue fill with fewer changes.
        String name = "\uD83C\uDFA8".repeat(UploadValidator.MAX_NAME_CODE_POINTS - 4) + ".jpg";
        // The normal reader (tenant beta) follows its tenth of the pictures; the stuck one (alpha) follows
        // every id, of which it is told about its own nine tenths.
        List<String> normalIds = ids.subList(0, ids.size() / 10);
        infra.produceAll(ids.stream()
                .map(id -> TestEvents.submitted(id, name, normalIds.contains(id) ? "beta" : "alpha"))
                .toList());
        Infra.await(
                "statuses known",
                () -> ids.stream().allMatch(id -> server.statuses().find(id).isPresent()));

        // When the server saw each change (the moment the event streams hear of it too).
        Map<String, Long> observedAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        try (AutoCloseable watching = server.statuses().subscribe(s -> {
                    if (s.width() != null && normalIds.contains(s.id())) {
                        observedAt.putIfAbsent(s.id() + "@" + s.width(), System.nanoTime());
                    }
                });
                RawStream stuck = openWhenFree("token-alpha", String.join(",", ids))) {
            assertThat(stuck.status()).isEqualTo(200);
            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            "http://localhost:" + server.port() + "/api/events?ids=" + String.join(",", normalIds)))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer token-beta")
                    .GET()
                    .build();
            var normal = HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> response.body().forEach(line -> {
                        if (line.startsWith("data:")) {
                            JsonNode view = parse(line.substring(5).strip());
                            if (!view.path("width").isNull()
                                    && !view.path("width").isMissingNode()) {
                                receivedAt.putIfAbsent(
                                        view.get("id").asText() + "@"
                                                + view.get("width").asInt(),
                                        System.nanoTime());
                            }
                        }
                    }));

            int rounds = 80;
            List<Object> changes = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (String id : ids) {
                    changes.add(TestEvents.facesDetected(id, 0, 1000 + round, 800));
                }
            }
            long started = System.nanoTime();
            for (int from = 0; from < changes.size(); from += 1_000) {
                infra.produceAll(changes.subList(from, Math.min(changes.size(), from + 1_000)));
            }
            Infra.await("every change observed", () -> observedAt.size() >= changes.size() / 10);
            Infra.await(
                    "the normal reader got every change",
                    () -> observedAt.keySet().stream().allMatch(receivedAt::containsKey));
            long floodMs = (System.nanoTime() - started) / 1_000_000;

            long maxDelayMs = 0;
            List<Long> delays = new ArrayList<>();
            for (Map.Entry<String, Long> observed : observedAt.entrySet()) {
                long delay = Math.max(0, receivedAt.get(observed.getKey()) - observed.getValue()) / 1_000_000;
                delays.add(delay);
                maxDelayMs = Math.max(maxDelayMs, delay);
            }
            delays.sort(null);
            System.out.printf(
                    "EventStreamLimitsIT: %d changes in %d ms; the normal reader's %d: delay p50 %d ms, p99 %d ms, "
                            + "max %d ms%n",
                    changes.size(),
                    floodMs,
                    delays.size(),
                    delays.get(delays.size() / 2),
                    delays.get(delays.size() * 99 / 100),
                    maxDelayMs);
            // Three times the 1 s the design aims at: a machine shared with other builds pauses threads
            // (GC, scheduling) for longer than an idle one; a reader held up behind the stuck one would
            // wait until the server closed that stream.
            assertThat(maxDelayMs).as("longest delay of the normal reader, ms").isLessThanOrEqualTo(3_000);

            // The stuck reader was closed by the server: what it is sent ends, short of every change.
            int events = countEventsToEnd(stuck.socket());
            System.out.printf(
                    "EventStreamLimitsIT: the stuck reader got %d of %d events before it was closed%n",
                    events, changes.size() + ids.size());
            assertThat(events).isLessThan(changes.size());
            normal.cancel(true);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads what the socket still holds up to the end of the stream; fails if the server has not
     * ended it within 30 s (heartbeats would keep an open one going for ever).
     */
    private static int countEventsToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(1_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        Awaitility.await("the stuck reader's stream closed")
                .atMost(Duration.ofSeconds(30))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    try {
                        int read = in.read(buffer);
                        if (read > 0) {
                            all.write(buffer, 0, read);
                        }
                        return read == -1;
                    } catch (SocketTimeoutException e) {
                        return false; // nothing yet
                    }
                });
        String text = all.toString(StandardCharsets.UTF_8);
        return text.split("event: ?status", -1).length - 1;
    }
}
