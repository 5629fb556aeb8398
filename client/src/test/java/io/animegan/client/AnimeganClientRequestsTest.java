package io.animegan.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed calls: what they send, what they read back, and how refusals and Retry-After are handled. */
class AnimeganClientRequestsTest {

    /** One scripted answer of the fake service. */
    private record Answer(int status, String contentType, String body, String retryAfter) {}

    private HttpServer server;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void submitsPhotosWithTheOptionsAndTheTokenAndReadsTheImages() throws Exception {
        answers.add(new Answer(
                202,
                "application/json",
                "{\"images\":[{\"id\":\"i1\",\"name\":\"a.jpg\",\"style\":\"hayao\"},"
                        + "{\"id\":\"i2\",\"name\":\"a.jpg\",\"style\":\"shinkai\"}]}",
                null));
        Path photo = Files.write(dir.resolve("a.jpg"), new byte[] {1, 2, 3});

        List<AnimeganClient.Image> images = client(0)
                .submitImages(
                        List.of(photo),
                        ImageOptions.defaults()
                                .withStyles("hayao", "shinkai")
                                .withMaxSide(512)
                                .withFaces(false));

        assertThat(images)
                .containsExactly(
                        new AnimeganClient.Image("i1", "a.jpg", "hayao"),
                        new AnimeganClient.Image("i2", "a.jpg", "shinkai"));
        String request = seen.remove();
        assertThat(request).startsWith("POST /api/images Bearer secret-token multipart/form-data");
        assertThat(request)
                .contains(
                        "name=\"style\"\r\n\r\nhayao,shinkai",
                        "name=\"maxSide\"\r\n\r\n512",
                        "name=\"faces\"\r\n\r\nfalse",
                        "filename=\"a.jpg\"");
    }

    @Test
    void readsAJobWithItsRefusedFiles() throws Exception {
        answers.add(new Answer(
                202,
                "application/json",
                "{\"job\":\"j1\",\"images\":[{\"id\":\"i1\",\"name\":\"k/a.jpg\",\"style\":\"hayao\"}],"
                        + "\"videos\":[{\"id\":\"v1\",\"name\":\"k/c.mp4\",\"style\":\"hayao\"}],"
                        + "\"refused\":[{\"name\":\"k/b.txt\",\"error\":\"not a picture\"}]}",
                null));

        AnimeganClient.Job job = client(0)
                .submitJobOfKeys(List.of("s3://bucket/k/a.jpg", "s3://bucket/k/b.txt"), ImageOptions.defaults());

        assertThat(job.id()).isEqualTo("j1");
        assertThat(job.images()).extracting(AnimeganClient.Image::id).containsExactly("i1");
        assertThat(job.videos()).containsExactly(new AnimeganClient.Video("v1", "k/c.mp4", "hayao"));
        assertThat(job.refused()).containsExactly(new AnimeganClient.Refusal("k/b.txt", "not a picture"));
        assertThat(seen.remove())
                .startsWith("POST /api/jobs Bearer secret-token application/json")
                .contains("\"keys\":[\"s3://bucket/k/a.jpg\",\"s3://bucket/k/b.txt\"]");
    }

    @Test
    void downloadsAResultWithItsMediaType() throws Exception {
        answers.add(new Answer(200, "image/jpeg", "jpeg bytes", null));

        AnimeganClient.Result result = client(0).downloadResult("i1");

        assertThat(new String(result.bytes(), StandardCharsets.UTF_8)).isEqualTo("jpeg bytes");
        assertThat(result.extension()).isEqualTo(".jpg");
        assertThat(seen.remove()).startsWith("GET /api/images/i1/result");
    }

    @Test
    void aRefusedRequestIsAClientErrorWithTheServiceMessage() {
        answers.add(new Answer(400, "application/json", "{\"error\":\"maxSide must be at least 64\"}", null));

        assertThatThrownBy(() -> client(3).downloadResult("i1")).isInstanceOfSatisfying(ClientError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error()).isEqualTo("maxSide must be at least 64");
        });
        assertThat(requests).hasValue(1);
    }

    @Test
    void aServerFailureIsAServerErrorAndIsNotRetriedWithoutRetryAfter() {
        answers.add(new Answer(500, "text/plain", "boom", null));

        assertThatThrownBy(() -> client(3).downloadResult("i1"))
                .isInstanceOfSatisfying(
                        ServerError.class, e -> assertThat(e.error()).isEqualTo("boom"));
        assertThat(requests).hasValue(1);
    }

    @Test
    void a503WithRetryAfterIsSentAgainAfterThatDelay() throws Exception {
        answers.add(new Answer(503, "application/json", "{\"error\":\"storage is unavailable\"}", "1"));
        answers.add(new Answer(200, "image/png", "png bytes", null));

        long started = System.nanoTime();
        AnimeganClient.Result result = client(3).downloadResult("i1");

        assertThat(result.extension()).isEqualTo(".png");
        assertThat(requests).hasValue(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUploadSentAgainCarriesTheWholeBodyAgain() throws Exception {
        answers.add(new Answer(503, "application/json", "{\"error\":\"storage is unavailable\"}", "0"));
        answers.add(new Answer(
                202,
                "application/json",
                "{\"images\":[{\"id\":\"i1\",\"name\":\"a.jpg\",\"style\":\"hayao\"}]}",
                null));
        Path photo = Files.write(dir.resolve("a.jpg"), "photo bytes".getBytes(StandardCharsets.UTF_8));

        assertThat(client(3).submitImages(List.of(photo), ImageOptions.defaults()))
                .hasSize(1);

        assertThat(seen).hasSize(2).allSatisfy(request -> assertThat(request).contains("photo bytes"));
    }

    @Test
    void retriesStopAtTheLimitAndTheLastRefusalSaysWhenToComeBack() {
        for (int i = 0; i < 3; i++) {
            answers.add(new Answer(503, "application/json", "{\"error\":\"status store restoring\"}", "0"));
        }

        assertThatThrownBy(() -> client(2).downloadResult("i1")).isInstanceOfSatisfying(ServerError.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfter()).contains(Duration.ZERO);
        });
        assertThat(requests).hasValue(3);
    }

    @Test
    void aRetryAfterTooFarAwayGoesToTheCaller() {
        answers.add(new Answer(429, "application/json", "{\"error\":\"quota exceeded\"}", "3600"));

        assertThatThrownBy(() -> client(3).downloadResult("i1")).isInstanceOfSatisfying(ClientError.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        });
        assertThat(requests).hasValue(1);
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        assertThat(AnimeganClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(AnimeganClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(AnimeganClient.retryAfter("soon")).isNull();
    }

    private AnimeganClient client(int retries) {
        return new AnimeganClient("http://127.0.0.1:" + server.getAddress().getPort(), "secret-token", retries);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                + authorization + " "
                + exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Answer answer = answers.remove();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
