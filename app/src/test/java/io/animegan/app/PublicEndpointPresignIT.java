package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.storage.BlobStore;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * --s3-public-endpoint: the service talks to storage at one address and hands out presigned URLs
 * for another. Here the service uses {@code localhost} and the "public" address is {@code
 * 127.0.0.1} of the same embedded S3 server, so the URL must be signed for 127.0.0.1 to download.
 */
class PublicEndpointPresignIT {

    @TempDir
    Path dir;

    @Test
    void aUrlPresignedForThePublicEndpointDownloadsThere() throws Exception {
        String secret = UUID.randomUUID().toString();
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "animegan", secret)) {
            int port = URI.create(s3.endpoint()).getPort();
            String publicEndpoint = "http://127.0.0.1:" + port;
            BlobStore store = new BlobStore(new StorageConfig(
                    "http://localhost:" + port, "animegan", secret, "animegan", "us-east-1", publicEndpoint));
            store.ensureBucket();
            byte[] picture = "not really a png".getBytes(StandardCharsets.UTF_8);
            BlobRef ref = store.put("results/x/anime.png", picture, "image/png");

            String url = store.presignedGet(ref, Duration.ofMinutes(5));
            assertThat(url).startsWith(publicEndpoint + "/animegan/results/x/anime.png?");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> answer =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(picture);

            // The same signature presented at the other host name is refused: the host is signed.
            String otherHost = url.replace("http://127.0.0.1:", "http://localhost:");
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(otherHost))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void theOptionAndItsVariableReachTheStorageConfig() {
        StageCommand stage = new StageCommand();
        new CommandLine(stage)
                .parseArgs(
                        "blend",
                        "--s3-access-key",
                        "k",
                        "--s3-secret-key",
                        "s",
                        "--s3-endpoint",
                        "http://minio:9000",
                        "--s3-public-endpoint",
                        "https://images.example.com");
        StorageConfig storage = stage.connection.toConfig().storage();
        assertThat(storage.endpoint()).isEqualTo("http://minio:9000");
        assertThat(storage.publicEndpoint()).isEqualTo("https://images.example.com");
        assertThat(storage.toString()).contains("secretKey=***").contains("publicEndpoint=https://images.example.com");
    }
}
