package io.animegan.app;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobStore;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import io.animegan.submission.AdmissionLimits;
import io.animegan.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one JVM: a real Kafka broker (KRaft) and a real S3 server, in-process, with
 * the three stages and the ingest service running against them exactly as they would against a
 * cluster and MinIO.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPipeline.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private PipelineConfig config;
    private IngestServer ingest;

    private EmbeddedPipeline() {}

    /**
     * @param dataDir Kafka logs and stored objects, kept across restarts
     * @param httpPort 0 for any free port
     * @param partitions partitions per topic
     */
    public static EmbeddedPipeline start(
            Path dataDir, int httpPort, Path modelsDir, String generatorModel, int partitions) {
        return start(dataDir, IngestSettings.defaults().withPort(httpPort), modelsDir, generatorModel, partitions);
    }

    /** @param http how the ingest service listens and what it accepts */
    public static EmbeddedPipeline start(
            Path dataDir, IngestSettings http, Path modelsDir, String generatorModel, int partitions) {
        return start(dataDir, http, modelsDir, generatorModel, partitions, EnumSet.allOf(StageName.class));
    }

    /** @param stages the stages run in this process; the others are left to separate processes */
    public static EmbeddedPipeline start(
            Path dataDir,
            IngestSettings http,
            Path modelsDir,
            String generatorModel,
            int partitions,
            Set<StageName> stages) {
        return start(dataDir, http, AdmissionLimits.defaults(), modelsDir, generatorModel, partitions, stages);
    }

    /**
     * @param limits the tenants' quotas and the bounds of uploads; webhooks signed with the secret kept in
     *     {@code dataDir}, calling what {@code limits} accept
     */
    public static EmbeddedPipeline start(
            Path dataDir,
            IngestSettings http,
            AdmissionLimits limits,
            Path modelsDir,
            String generatorModel,
            int partitions,
            Set<StageName> stages) {
        return start(
                dataDir,
                http,
                limits,
                modelsDir,
                generatorModel,
                partitions,
                stages,
                WebhookSettings.of(
                        WebhookOptions.secretIn(dataDir),
                        limits.callbacks(),
                        WebhookSettings.DEFAULT_RETRY_FOR,
                        WebhookSettings.DEFAULT_TIMEOUT,
                        ""));
    }

    /** @param webhooks how the webhook stage signs, retries and which addresses it calls */
    public static EmbeddedPipeline start(
            Path dataDir,
            IngestSettings http,
            AdmissionLimits limits,
            Path modelsDir,
            String generatorModel,
            int partitions,
            Set<StageName> stages,
            WebhookSettings webhooks) {
        EmbeddedPipeline pipeline = new EmbeddedPipeline();
        try {
            pipeline.startAll(dataDir, http, limits, modelsDir, generatorModel, partitions, stages, webhooks);
            return pipeline;
        } catch (RuntimeException | InterruptedException e) {
            pipeline.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded pipeline did not start: " + e.getMessage(), e);
        }
    }

    private void startAll(
            Path dataDir,
            IngestSettings http,
            AdmissionLimits limits,
            Path modelsDir,
            String generatorModel,
            int partitions,
            Set<StageName> stageNames,
            WebhookSettings webhooks)
            throws InterruptedException {
        EmbeddedKafka kafka = remember(EmbeddedKafka.start(dataDir, 0));
        // Credentials only guard the loopback server for this run; they are never printed.
        String accessKey = "animegan";
        String secretKey = UUID.randomUUID().toString();
        EmbeddedS3 s3 = remember(EmbeddedS3.start(dataDir, 0, accessKey, secretKey));
        config = new PipelineConfig(
                kafka.bootstrapServers(),
                Topics.withPrefix(Topics.DEFAULT_PREFIX, partitions, (short) 1),
                new StorageConfig(s3.endpoint(), accessKey, secretKey, "animegan", "us-east-1"),
                modelsDir,
                generatorModel,
                0,
                dataDir.resolve("streams"));
        new BlobStore(config.storage()).ensureBucket();
        TopicAdmin.ensureTopics(config);
        List<StageRunner> stages = new ArrayList<>();
        for (StageName name : stageNames) {
            stages.add(remember(name.create(config, () -> webhooks).start()));
        }
        ingest = remember(IngestServer.start(config, http, limits));
        for (StageRunner stage : stages) {
            if (!stage.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException(stage.name() + " did not reach RUNNING (state " + stage.state() + ")");
            }
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    public PipelineConfig config() {
        return config;
    }

    public int httpPort() {
        return ingest.port();
    }

    public String url() {
        return "http://localhost:" + httpPort() + "/";
    }

    /** Stops in reverse start order: ingest and stages before the broker and storage they use. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("while stopping {}: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
