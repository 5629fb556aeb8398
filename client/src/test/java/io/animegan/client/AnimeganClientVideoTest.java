package io.animegan.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video calls against a local server answering the shapes of {@code /api/videos}: what they
 * send, how a status is read and awaited, how a result is downloaded and how refusals carry codes.
 */
class AnimeganClientVideoTest {

    /** One scripted answer of the fake service. */
    private record Answer(int status, String contentType, byte[] body, String retryAfter) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private static final String PROCESSING = "{\"id\":\"v1\",\"name\":\"clip.mp4\",\"style\":\"hayao\","
            + "\"status\":\"processing\",\"frames\":48,\"framesDone\":12,\"segments\":2,\"segmentsDone\":0,"
            + "\"etaSeconds\":3.5,\"previewUrl\":null,\"resultUrl\":null,\"error\":null}";
    private static final String DONE = "{\"id\":\"v1\",\"name\":\"clip.mp4\",\"style\":\"hayao\",\"status\":\"done\","
            + "\"frames\":48,\"framesDone\":48,\"segments\":2,\"segmentsDone\":2,\"etaSeconds\":0,"
            + "\"previewUrl\":\"/api/videos/v1/preview\",\"resultUrl\":\"/api/videos/v1/result\","
            + "\"width\":640,\"height\":360}";

    private HttpServer server;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger streams = new AtomicInteger();
    /** Streams a test holds open, let go when it ends. */
    private final Queue<CountDownLatch> holding = new ConcurrentLinkedQueue<>();

    private ExecutorService handlers;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        // A held event stream must not keep the status requests waiting.
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stop() {
        holding.forEach(CountDownLatch::countDown);
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void submitsAClipWithItsOptionsAndReadsTheVideo() throws Exception {
        answers.add(Answer.json(202, "{\"videos\":[{\"id\":\"v1\",\"name\":\"clip.mp4\",\"style\":\"hayao\"}]}"));
        Path clip = Files.write(dir.resolve("clip.mp4"), "clip bytes".getBytes(StandardCharsets.UTF_8));

        AnimeganClient.Video video = client().submitVideo(
                        clip,
                        VideoOptions.defaults()
                                .withStyle("hayao")
                                .withMaxSide(720)
                                .withFps(24)
                                .withTemporal(false)
                                .withCallbackUrl("https://hooks.example.org/anime"));

        assertThat(video).isEqualTo(new AnimeganClient.Video("v1", "clip.mp4", "hayao"));
        assertThat(seen.remove())
                .startsWith("POST /api/videos Bearer secret-token multipart/form-data")
                .contains(
                        "name=\"style\"\r\n\r\nhayao",
                        "name=\"maxSide\"\r\n\r\n720",
                        "name=\"fps\"\r\n\r\n24",
                        "name=\"temporal\"\r\n\r\noff",
                        "name=\"callbackUrl\"\r\n\r\nhttps://hooks.example.org/anime",
                        "filename=\"clip.mp4\"",
                        "\r\n\r\nclip bytes\r\n--")
                .doesNotContain("name=\"faces\"");
    }

    @Test
    void aClipSentAgainAfterRetryAfterCarriesTheWholeFileAgain() throws Exception {
        answers.add(new Answer(503, "application/json", "{\"error\":\"busy\"}".getBytes(StandardCharsets.UTF_8), "0"));
        answers.add(Answer.json(202, "{\"videos\":[{\"id\":\"v1\",\"name\":\"clip.mp4\",\"style\":\"hayao\"}]}"));
        Path clip = Files.write(dir.resolve("clip.mp4"), "clip bytes".getBytes(StandardCharsets.UTF_8));

        assertThat(client().submitVideo(clip, VideoOptions.defaults()).id()).isEqualTo("v1");

        assertThat(seen).hasSize(2).allSatisfy(request -> assertThat(request).contains("\r\n\r\nclip bytes\r\n--"));
    }

    @Test
    void aClipThatIsNotThereIsNotSent() {
        assertThatThrownBy(() -> client().submitVideo(dir.resolve("missing.mp4"), VideoOptions.defaults()))
                .isInstanceOf(FileNotFoundException.class);
        assertThat(seen).isEmpty();
    }

    @Test
    void awaitsAClipOverItsEventsUntilItIsDone() throws Exception {
        events(exchange -> sse(
                exchange,
                video("{\"id\":\"v1\",\"status\":\"queued\"}"),
                video(PROCESSING),
                video(PROCESSING.replace("\"framesDone\":12", "\"framesDone\":36")),
                video(DONE)));
        answers.add(Answer.json(200, DONE));

        VideoStatus done = client().awaitVideo("v1", Duration.ofSeconds(10));

        assertThat(done.status()).isEqualTo("done");
        assertThat(done.isFinished()).isTrue();
        assertThat(done.framesDone()).isEqualTo(48);
        assertThat(done.segmentsDone()).isEqualTo(2);
        assertThat(done.resultUrl()).isEqualTo("/api/videos/v1/result");
        assertThat(done.previewUrl()).isEqualTo("/api/videos/v1/preview");
        assertThat(done.error()).isNull();
        assertThat(done.json().path("width").asInt())
                .as("fields the record does not name")
                .isEqualTo(640);
        assertThat(streams).hasValue(1);
        assertThat(seen)
                .as("the status is asked for once, when the stream tells the clip is done")
                .singleElement()
                .satisfies(request -> assertThat(request).startsWith("GET /api/videos/v1 Bearer secret-token"));
    }

    @Test
    void aFailedClipIsFinishedWithItsError() throws Exception {
        String failed = "{\"id\":\"v1\",\"name\":\"clip.mp4\",\"style\":\"hayao\",\"status\":\"failed\","
                + "\"error\":{\"stage\":\"plan\",\"code\":\"CORRUPT_VIDEO\",\"message\":\"no video stream\"}}";
        events(exchange -> sse(exchange, video(failed)));
        answers.add(Answer.json(200, failed));

        VideoStatus status = client().awaitVideo("v1", Duration.ofSeconds(10));

        assertThat(status.isFinished()).isTrue();
        assertThat(status.error()).isEqualTo(new VideoStatus.Error("plan", "CORRUPT_VIDEO", "no video stream"));
        assertThat(status.frames()).isNull();
        assertThat(status.etaSeconds()).isNull();
        assertThat(streams).hasValue(1);
    }

    @Test
    void aStreamThatCannotBeHeldFallsBackToPollingAndTriesTheStreamAgain() throws Exception {
        events(exchange -> respond(exchange, 503, "application/json", "{\"error\":\"too many streams\"}"));
        answers.add(Answer.json(200, PROCESSING));
        answers.add(Answer.json(200, DONE));

        VideoStatus done = client().awaitVideo("v1", Duration.ofSeconds(10));

        assertThat(done.status()).isEqualTo("done");
        assertThat(seen).hasSize(2).allSatisfy(request -> assertThat(request).startsWith("GET /api/videos/v1 "));
        assertThat(streams).hasValue(2);
    }

    @Test
    void aStreamTheServiceEndsIsOpenedAgainAtOnce() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        events(exchange -> sse(exchange, video(opened.incrementAndGet() == 1 ? PROCESSING : DONE)));
        answers.add(Answer.json(200, PROCESSING));
        answers.add(Answer.json(200, DONE));

        assertThat(client().awaitVideo("v1", Duration.ofSeconds(10)).status()).isEqualTo("done");

        assertThat(streams).hasValue(2);
        assertThat(seen).hasSize(2);
    }

    @Test
    void awaitingEndsAtTheTimeoutSayingHowFarTheClipGot() {
        CountDownLatch hung = new CountDownLatch(1);
        holding.add(hung);
        events(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(video(PROCESSING).getBytes(StandardCharsets.UTF_8));
                out.flush();
                hung.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        answers.add(Answer.json(200, PROCESSING));

        assertThatThrownBy(() -> client().awaitVideo("v1", Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("v1")
                .hasMessageContaining("12 of 48 frames");
        assertThat(streams).hasValue(1);
    }

    @Test
    void anUnknownClipIsAClientErrorWithTheServiceCode() {
        events(exchange -> respond(exchange, 404, "application/json", "{\"error\":\"no video v1\"}"));
        answers.add(Answer.json(404, "{\"error\":\"no video v1\",\"code\":\"NOT_FOUND\"}"));

        assertThatThrownBy(() -> client().awaitVideo("v1", Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ClientError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).contains("NOT_FOUND");
                    assertThat(e.error()).isEqualTo("no video v1");
                });
    }

    @Test
    void aRefusedClipCarriesItsCodeAndARefusalWithoutOneHasNone() {
        answers.add(Answer.json(
                415, "{\"error\":\"clip.jpg is a photo; send it to /api/images\",\"code\":\"UNSUPPORTED_VIDEO\"}"));
        answers.add(Answer.json(400, "{\"error\":\"fps must be 1 to 60\"}"));

        assertThatThrownBy(() -> client().submitVideo(
                                Files.write(dir.resolve("clip.jpg"), new byte[] {1}), VideoOptions.defaults()))
                .isInstanceOfSatisfying(ClientError.class, e -> {
                    assertThat(e.code()).contains("UNSUPPORTED_VIDEO");
                    assertThat(e.getMessage())
                            .isEqualTo("HTTP 415 UNSUPPORTED_VIDEO: clip.jpg is a photo; send it to /api/images");
                });
        assertThatThrownBy(() -> client().submitVideo(
                                dir.resolve("clip.jpg"), VideoOptions.defaults().withFps(99)))
                .isInstanceOfSatisfying(
                        ClientError.class, e -> assertThat(e.code()).isEmpty());
    }

    @Test
    void downloadsTheClipToAFile() throws Exception {
        byte[] mp4 = new byte[256 * 1024];
        for (int i = 0; i < mp4.length; i++) {
            mp4[i] = (byte) i;
        }
        answers.add(new Answer(200, "video/mp4", mp4, null));
        Path target = dir.resolve("out.mp4");

        assertThat(client().downloadVideo("v1", target)).isEqualTo(target);

        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);
        assertThat(seen.remove()).startsWith("GET /api/videos/v1/result");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aResultNotThereYetLeavesNoFile() throws Exception {
        answers.add(Answer.json(404, "{\"error\":\"video v1 is not done\"}"));
        Path target = dir.resolve("out.mp4");

        assertThatThrownBy(() -> client().downloadVideo("v1", target))
                .isInstanceOfSatisfying(
                        ClientError.class, e -> assertThat(e.error()).isEqualTo("video v1 is not done"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Serves {@code GET /api/videos/v1/events}. */
    private void events(Handler handler) {
        server.createContext("/api/videos/v1/events", exchange -> {
            streams.incrementAndGet();
            assertThat(exchange.getRequestHeaders().getFirst("Accept")).contains("text/event-stream");
            assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer secret-token");
            handler.handle(exchange);
        });
    }

    private static String video(String status) {
        return "event: video\ndata: " + status + "\n\n";
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

    private AnimeganClient client() {
        return new AnimeganClient("http://127.0.0.1:" + server.getAddress().getPort(), "secret-token", 3);
    }

    private void answer(HttpExchange exchange) throws IOException {
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                + exchange.getRequestHeaders().getFirst("Authorization") + " "
                + exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Answer answer = answers.remove();
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }
}
