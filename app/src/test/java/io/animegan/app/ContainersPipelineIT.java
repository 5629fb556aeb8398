package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import io.animegan.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The stages and ingest against the same Kafka and MinIO images docker-compose.yml deploys.
 * Needs a Docker engine; skipped (and reported as skipped) where none runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersPipelineIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

    @Test
    void groupPhotoThroughRealKafkaAndMinio(@TempDir Path state) throws Exception {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        PipelineConfig config = new PipelineConfig(
                KAFKA.getBootstrapServers(),
                Topics.defaults(),
                new StorageConfig(MINIO.getS3URL(), MINIO.getUserName(), MINIO.getPassword(), "animegan", "us-east-1"),
                models,
                PipelineConfig.DEFAULT_GENERATOR,
                0,
                state);
        new BlobStore(config.storage()).ensureBucket();
        TopicAdmin.ensureTopics(config.bootstrapServers(), config.topics());
        List<AutoCloseable> running = new ArrayList<>();
        try {
            for (StageName stage : StageName.values()) {
                StageRunner runner = stage.create(
                                config,
                                () -> WebhookSettings.of(
                                        WebhookOptions.secretIn(state),
                                        CallbackPolicy.STRICT,
                                        WebhookSettings.DEFAULT_RETRY_FOR,
                                        WebhookSettings.DEFAULT_TIMEOUT,
                                        ""))
                        .start();
                running.add(runner);
            }
            IngestServer ingest =
                    IngestServer.start(config, IngestSettings.defaults().withPort(0));
            running.add(ingest);
            AnimeganClient api = new AnimeganClient("http://localhost:" + ingest.port());
            AnimeganClient.Response response = api.upload(
                    "group-of-three.jpg", TestAssets.sampleBytes("group-of-three.jpg"), Map.of("maxSide", "512"));
            assertThat(response.status()).isEqualTo(202);
            String id = response.json().path("images").get(0).path("id").asText();
            JsonNode status = api.awaitFinished(id, Duration.ofMinutes(3));
            assertThat(status.path("status").asText()).isEqualTo("done");
            assertThat(status.path("faces").asInt()).isEqualTo(3);
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
        }
    }
}
