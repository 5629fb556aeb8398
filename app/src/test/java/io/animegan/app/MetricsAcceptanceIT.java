package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.app.launch.AnimeganJvm;
import io.animegan.blend.BlendStageApp;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.metrics.StreamsMeters;
import io.animegan.common.testing.TestAssets;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import io.animegan.ingest.contract.ContractProxy;
import io.animegan.stylize.StylizeStageApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, acceptance 1: one picture through three stage processes (each with
 * {@code --metrics-port}) and an ingest service, then every process's /metrics shows it, and a
 * stage's /readyz is 503 before its Kafka Streams application runs and 200 after.
 */
class MetricsAcceptanceIT {

    private static final String ACCESS_KEY = "animegan";
    private static final String PREFIX = "metrics.";
    private static final Map<String, String> APPLICATION_IDS = Map.of(
            "face",
            FaceStageApp.APPLICATION_ID,
            "stylize",
            StylizeStageApp.APPLICATION_ID,
            "blend",
            BlendStageApp.APPLICATION_ID);

    @Test
    void everyProcessReportsThePictureItHandledAndReadinessFollowsTheStage(@TempDir Path dir) throws Exception {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        String secret = UUID.randomUUID().toString();
        EmbeddedKafka kafka = SharedBroker.kafka();
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, secret)) {
            PipelineConfig config = new PipelineConfig(
                    kafka.bootstrapServers(),
                    Topics.withPrefix(PREFIX, 1, (short) 1),
                    new StorageConfig(s3.endpoint(), ACCESS_KEY, secret, "animegan", "us-east-1"),
                    models,
                    PipelineConfig.DEFAULT_GENERATOR,
                    1,
                    dir.resolve("state"));
            Map<String, StageProcess> stages = new LinkedHashMap<>();
            try (IngestServer ingest =
                            IngestServer.start(config, IngestSettings.defaults().withPort(0));
                    ContractProxy contract = ContractProxy.to("http://localhost:" + ingest.port())) {
                for (String stage : List.of("face", "stylize", "blend")) {
                    stages.put(stage, StageProcess.start(stage, config, secret, dir));
                }
                for (StageProcess stage : stages.values()) {
                    assertThat(stage.firstReadinessAnswer())
                            .as(stage.name + " /readyz before RUNNING")
                            .isEqualTo(503);
                }
                for (StageProcess stage : stages.values()) {
                    stage.awaitReady(Duration.ofMinutes(2));
                }

                // Every answer of ingest is checked against the OpenAPI document on its way.
                String ingestUrl = contract.url();
                AnimeganClient client = new AnimeganClient(ingestUrl);
                byte[] photo = TestAssets.sampleBytes("portrait-headphones.jpg");
                String id = AnimeganClient.imageId(client.upload("portrait.jpg", photo, Map.of("maxSide", "256")));
                JsonNode status = client.awaitFinished(id, Duration.ofMinutes(3));
                assertThat(status.path("status").asText())
                        .as(status.toString() + logs(stages))
                        .isEqualTo("done");

                PrometheusScrape ingestMetrics = PrometheusScrape.of(ingestUrl);
                assertThat(ingestMetrics.sum("animegan_ingest_uploads_total", Map.of("result", "accepted")))
                        .isGreaterThanOrEqualTo(1);
                assertThat(ingestMetrics.sum(
                                "animegan_http_server_requests_seconds_count",
                                Map.of("method", "POST", "route", "/api/images", "status", "202")))
                        .isGreaterThanOrEqualTo(1);
                assertThat(ingestMetrics.sum(
                                "animegan_http_server_requests_seconds_count",
                                Map.of("route", "/api/images/{id}", "status", "200")))
                        .isGreaterThanOrEqualTo(1);
                assertThat(ingestMetrics.sum("animegan_process_resident_memory_bytes", Map.of()))
                        .isPositive();

                for (StageProcess stage : stages.values()) {
                    assertStageMetrics(stage);
                }
                assertThat(PrometheusScrape.of(stages.get("face").url())
                                .sum(
                                        "animegan_model_inference_seconds_count",
                                        Map.of("model", FaceStageApp.DETECTOR_MODEL)))
                        .isGreaterThanOrEqualTo(1);
                assertThat(PrometheusScrape.of(stages.get("stylize").url())
                                .sum(
                                        "animegan_model_inference_seconds_count",
                                        Map.of("model", PipelineConfig.DEFAULT_GENERATOR)))
                        .isGreaterThanOrEqualTo(1);
                contract.assertNoMismatches();
            } finally {
                stages.values().forEach(StageProcess::stop);
            }
        }
    }

    private static void assertStageMetrics(StageProcess stage) throws Exception {
        Map<String, String> ofStage = Map.of("stage", stage.name);
        PrometheusScrape scrape = PrometheusScrape.of(stage.url());
        Files.writeString(
                Path.of("target", "metrics-" + stage.name + "-stage.txt"), scrape.text()); // to read, not asserted
        String about = stage.name + " /metrics";
        assertThat(scrape.sum("animegan_stage_records_processed_total", ofStage))
                .as(about)
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("animegan_stage_records_failed_total", ofStage))
                .as(about)
                .isZero();
        assertThat(scrape.sum("animegan_stage_processing_seconds_count", ofStage))
                .as(about)
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.has("animegan_stage_processing_seconds_bucket", ofStage))
                .as(about)
                .isTrue();
        assertThat(scrape.values("animegan_stage_in_flight", ofStage)).as(about).containsExactly(0.0);
        assertThat(scrape.sum("animegan_process_resident_memory_bytes", Map.of()))
                .as(about)
                .isGreaterThan(50e6);
        assertThat(scrape.sum("animegan_jvm_memory_used_bytes", Map.of("area", "heap")))
                .as(about)
                .isPositive();

        // Partition-level lag appears once the consumer has fetched; Micrometer looks for new Kafka
        // metrics every few seconds.
        Map<String, String> lag =
                Map.of("application_id", APPLICATION_IDS.get(stage.name), "topic", stage.inputTopic());
        scrape = Awaitility.await(about + " lag exported")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> PrometheusScrape.of(stage.url()),
                        exported -> exported.has(StreamsMeters.RECORDS_LAG, lag));
        assertThat(scrape.values(StreamsMeters.RECORDS_LAG, lag))
                .as(about + " lag")
                .isNotEmpty()
                .allSatisfy(value -> assertThat(value).isZero());
        assertThat(scrape.values(
                        "animegan_stage_consumer_lag", Map.of("application_id", APPLICATION_IDS.get(stage.name))))
                .as(about + " stage lag, all caught up")
                .containsExactly(0.0);
    }

    private static String logs(Map<String, StageProcess> stages) throws IOException {
        StringBuilder all = new StringBuilder();
        for (StageProcess stage : stages.values()) {
            String text = Files.readString(stage.log);
            all.append("\n--- ")
                    .append(stage.name)
                    .append(" ---\n")
                    .append(text, Math.max(0, text.length() - 3000), text.length());
        }
        return all.toString();
    }

    /** A stage as its own JVM, configured by its command line and environment only. */
    private static final class StageProcess {
        final String name;
        final int metricsPort;
        final Path log;
        final Process process;

        private StageProcess(String name, int metricsPort, Path log, Process process) {
            this.name = name;
            this.metricsPort = metricsPort;
            this.log = log;
            this.process = process;
        }

        static StageProcess start(String stage, PipelineConfig config, String secret, Path dir) throws IOException {
            int port = freePort();
            ProcessBuilder builder = AnimeganJvm.builder(
                    dir.resolve(stage + ".args"),
                    List.of("-Xss4m", "-Xmx1g"),
                    List.of(
                            "stage",
                            stage,
                            "--bootstrap-servers",
                            config.bootstrapServers(),
                            "--s3-endpoint",
                            config.storage().endpoint(),
                            "--models",
                            config.modelsDir().toString(),
                            "--topic-prefix",
                            PREFIX,
                            "--partitions",
                            "1",
                            "--onnx-threads",
                            "1",
                            "--state-dir",
                            dir.resolve("state-" + stage).toString()));
            Path log = dir.resolve(stage + ".log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("ANIMEGAN_S3_ACCESS_KEY", ACCESS_KEY);
            builder.environment().put("ANIMEGAN_S3_SECRET_KEY", secret);
            builder.environment()
                    .put("ANIMEGAN_METRICS_PORT", String.valueOf(port)); // the variable, as Kubernetes sets it
            return new StageProcess(stage, port, log, builder.start());
        }

        String url() {
            return "http://localhost:" + metricsPort;
        }

        String inputTopic() {
            Topics topics = Topics.withPrefix(PREFIX, 1, (short) 1);
            return switch (name) {
                case "face" -> topics.submitted().name();
                case "stylize" -> topics.facesDetected().name();
                default -> topics.stylized().name();
            };
        }

        /** The first status /readyz answers with once the port is open. */
        int firstReadinessAnswer() throws IOException {
            try {
                return Awaitility.await(name + "'s metrics port open")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () -> {
                                    assertAlive();
                                    return PrometheusScrape.status(url() + "/readyz");
                                },
                                status -> status > 0);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(name + ": metrics port never opened\n" + Files.readString(log), e);
            }
        }

        void awaitReady(Duration timeout) throws IOException {
            try {
                Awaitility.await(name + " ready")
                        .atMost(timeout)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            assertAlive();
                            return PrometheusScrape.status(url() + "/readyz") == 200;
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(name + " not ready after " + timeout + "\n" + Files.readString(log), e);
            }
            assertThat(PrometheusScrape.status(url() + "/healthz")).isEqualTo(200);
        }

        private void assertAlive() throws IOException {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited\n" + Files.readString(log));
            }
        }

        void stop() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
