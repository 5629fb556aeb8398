package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.TestEvents;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest while S3 or Kafka is down: the client hears 503 with a JSON error and Retry-After within
 * 5 s (never a 500, never a minute-long hang), and the API heals when the part comes back.
 */
class IngestOutageIT {

    /**
     * Four times the 5 s promise: a machine shared with other builds stretches a request, while what
     * this rules out, a request held until a storage or client timeout, takes a minute.
     */
    private static final Duration PROMPT = Duration.ofSeconds(20);

    @Test
    void answers503PromptlyWhileStorageOrBrokerIsDownAndHealsAfter(@TempDir Path dir) throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        try (Infra infra = Infra.start(dir);
                IngestServer server = IngestServer.start(infra.config, new IngestSettings(0, 300_000))) {
            Http http = new Http(server.port());
            String id = http.post(new Multipart().file("a.jpg", photo)).statusCode() == 202 ? done(infra, http) : null;
            assertThat(id).isNotNull();

            infra.s3.close();
            HttpResponse<byte[]> upload =
                    timed("upload, S3 down", () -> http.post(new Multipart().file("b.jpg", photo)));
            assertUnavailable(upload);
            HttpResponse<byte[]> download = timed("result, S3 down", () -> http.get("/api/images/" + id + "/result"));
            assertUnavailable(download);

            try (EmbeddedS3 again =
                    EmbeddedS3.start(dir.resolve("s3"), infra.s3.port(), Infra.ACCESS_KEY, Infra.SECRET_KEY)) {
                assertThat(http.get("/api/images/" + id + "/result").statusCode())
                        .isEqualTo(200);
                assertThat(http.post(new Multipart().file("c.jpg", photo)).statusCode())
                        .isEqualTo(202);

                infra.kafka.close();
                HttpResponse<byte[]> queued =
                        timed("upload, Kafka down", () -> http.post(new Multipart().file("d.jpg", photo)));
                assertUnavailable(queued);
            }
        }
    }

    /** Plays the stages for one upload so it has a result to download. */
    private static String done(Infra infra, Http http) throws Exception {
        String id = infra.records(infra.topics().submitted().name()).get(0).key();
        BlobStore store = new BlobStore(infra.config.storage());
        BlobRef result = store.put(Keys.result(id, "png"), "a result".getBytes(StandardCharsets.UTF_8), "image/png");
        infra.produce(TestEvents.completed(id, result, "image/png", 0, 10, 10));
        await(id + " done", () -> http.get("/api/images/" + id + "/result").statusCode() == 200);
        return id;
    }

    private static HttpResponse<byte[]> timed(String what, java.util.function.Supplier<HttpResponse<byte[]>> call) {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("%s: HTTP %d in %d ms%n", what, response.statusCode(), took.toMillis());
        assertThat(took).as(what).isLessThan(PROMPT);
        return response;
    }

    private static void assertUnavailable(HttpResponse<byte[]> response) {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(503);
        assertThat(Http.contentType(response)).startsWith("application/json");
        assertThat(Http.json(response).get("error").asText()).isNotBlank();
        assertThat(response.headers().firstValue("Retry-After")).hasValue(IngestServer.RETRY_AFTER_SECONDS);
    }
}
