package io.animegan.app;

import static io.animegan.app.KubernetesManifestsTest.containerPort;
import static io.animegan.app.KubernetesManifestsTest.containers;
import static io.animegan.app.KubernetesManifestsTest.dashboardSeries;
import static io.animegan.app.KubernetesManifestsTest.environment;
import static io.animegan.app.KubernetesManifestsTest.httpGet;
import static io.animegan.app.KubernetesManifestsTest.name;
import static io.animegan.app.KubernetesManifestsTest.ofKind;
import static io.animegan.app.KubernetesManifestsTest.parse;
import static io.animegan.app.KubernetesManifestsTest.seriesNames;
import static io.animegan.app.KubernetesManifestsTest.status;
import static io.animegan.app.KubernetesManifestsTest.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.metrics.AnimeganMetrics;
import io.animegan.common.metrics.MetricsServer;
import io.animegan.common.metrics.Readiness;
import io.animegan.common.metrics.StageMetrics;
import io.animegan.common.metrics.StreamsMeters;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import io.animegan.ingest.contract.ContractValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The manifests' probes and scrape annotations, and the Grafana dashboard, against what the
 * processes really serve; KubernetesManifestsTest checks the rest of deploy/k8s without them.
 */
class KubernetesProbesIT {

    /**
     * Starts what the probes and Prometheus talk to: a stage's metrics port, and ingest against an
     * in-process broker and S3 server; then asks each probe and scrape path of the manifests.
     */
    @Test
    void probesScrapeAnnotationsAndTheDashboardPointAtWhatTheProcessesServe(@TempDir Path dir) throws Exception {
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"), 0);
                EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "animegan", secret);
                IngestServer ingest = IngestServer.start(
                        new PipelineConfig(
                                kafka.bootstrapServers(),
                                Topics.withPrefix(Topics.DEFAULT_PREFIX, 1, (short) 1),
                                new StorageConfig(s3.endpoint(), "animegan", secret, "animegan", "us-east-1"),
                                dir,
                                "unused.onnx",
                                1,
                                dir.resolve("state")),
                        IngestSettings.defaults().withPort(0));
                MetricsServer stagePort = MetricsServer.start(0, () -> Readiness.no("checking probes"))) {
            for (Map<String, Object> deployment : ofKind("Deployment")) {
                Map<String, Object> container = containers(deployment).get(0);
                CommandLine.ParseResult sub = parse(container).subcommand();
                boolean isStage = sub.commandSpec().userObject() instanceof StageCommand;
                int servedPort = Integer.parseInt(CommandEnvironment.effectiveValue(
                        sub, isStage ? "--metrics-port" : "--port", environment(container)));
                assertThat(servedPort).as(name(deployment) + " serves HTTP").isPositive();
                String base = "http://localhost:" + (isStage ? stagePort.port() : ingest.port());
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    String about = name(deployment) + " " + probe;
                    Map<String, Object> httpGet = httpGet(container, probe);
                    assertThat(containerPort(container, httpGet.get("port")))
                            .as(about)
                            .isEqualTo(servedPort);
                    int status = status(base + httpGet.get("path"));
                    assertThat(status)
                            .as(about + " " + httpGet.get("path"))
                            .isIn(probe.equals("livenessProbe") ? List.of(200) : List.of(200, 503));
                }
                if (isStage) {
                    assertThat(httpGet(container, "readinessProbe").get("path"))
                            .as("stage readiness follows Kafka Streams")
                            .isEqualTo("/readyz");
                }
                @SuppressWarnings("unchecked")
                Map<String, String> annotations = (Map<String, String>)
                        ((Map<String, Object>) template(deployment).get("metadata")).get("annotations");
                assertThat(annotations).containsEntry("prometheus.io/scrape", "true");
                assertThat(Integer.parseInt(annotations.get("prometheus.io/port")))
                        .as(name(deployment))
                        .isEqualTo(servedPort);
                assertThat(status(base + annotations.get("prometheus.io/path")))
                        .as(name(deployment) + " scrape path, no token")
                        .isEqualTo(200);
            }
            // Make every series family exist once, then the dashboard may only ask for those.
            StageMetrics stage = StageMetrics.of("dashboard-check");
            stage.record(() -> "ok", result -> null);
            stage.record(() -> "failed", result -> "CORRUPT_IMAGE");
            try {
                stage.record(
                        () -> {
                            throw new IllegalStateException("storage away");
                        },
                        result -> null);
            } catch (IllegalStateException expected) {
                // counted as retried
            }
            AnimeganMetrics.modelTimer("dashboard-check.onnx").record(java.time.Duration.ofMillis(3));
            ContractValidator.instance()
                    .check(HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://localhost:" + ingest.port() + "/api/images"))
                                            .POST(HttpRequest.BodyPublishers.ofString("not a form"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()));
            Set<String> exported = seriesNames(
                    PrometheusScrape.of("http://localhost:" + ingest.port()).text());
            // Lag exists only beside a live Kafka Streams instance (MetricsAcceptanceIT sees it).
            exported.addAll(List.of(StreamsMeters.RECORDS_LAG, "animegan_stage_consumer_lag"));
            Set<String> queried = dashboardSeries();
            assertThat(queried)
                    .as("dashboard series")
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(exported).contains(name));
            assertThat(queried)
                    .contains(
                            "animegan_stage_records_processed_total",
                            "animegan_stage_records_failed_total",
                            "animegan_stage_processing_seconds_bucket",
                            "animegan_model_inference_seconds_bucket",
                            "animegan_stage_in_flight",
                            "animegan_stage_consumer_lag",
                            "animegan_jvm_memory_used_bytes",
                            "animegan_process_resident_memory_bytes");
        }
    }
}
