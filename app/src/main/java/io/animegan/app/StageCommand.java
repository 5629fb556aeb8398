package io.animegan.app;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.metrics.MetricsServer;
import io.animegan.common.metrics.Readiness;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.trace.Telemetry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "stage",
        mixinStandardHelpOptions = true,
        description =
                "Runs one processing stage (or webhook delivery) against an existing Kafka cluster and S3/MinIO. Start several to share the partitions.")
final class StageCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(StageCommand.class);

    @Parameters(index = "0", description = "Which stage: ${COMPLETION-CANDIDATES}")
    StageName stage;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    OnnxSpinningOption spinning;

    @Mixin
    OnnxArenaOption arena;

    @Mixin
    WebhookOptions webhooks;

    @Mixin
    LogOptions logs;

    @Override
    public Integer call() throws Exception {
        // The port opens before the models load, so liveness holds and readiness says why not yet.
        AtomicReference<StageRunner> runner = new AtomicReference<>();
        Telemetry.start("animegan-" + stage + "-stage");
        Optional<MetricsServer> server = metrics.start(() -> readiness(runner.get()));
        try {
            PipelineConfig config = connection.toConfig();
            // Missing models stop the stage at once, before it waits for a broker.
            StartupChecks.requireModels(config.modelsDir(), config.generatorModel(), List.of(stage));
            spinning.apply(stage == StageName.stylize);
            arena.apply();
            TopicAdmin.ensureTopics(config);
            runner.set(stage.create(config, webhooks::toSettings).start());
            log.info(
                    "{} stage started against {} (Kafka client settings {})",
                    stage,
                    config.bootstrapServers(),
                    config.kafkaClient());
        } catch (RuntimeException | Error e) {
            server.ifPresent(MetricsServer::close);
            throw e;
        }
        Lifecycle.runUntilStopped(() -> {
            runner.get().close();
            server.ifPresent(MetricsServer::close);
        });
        return 0;
    }

    /** Ready once the models are loaded (the runner exists only then) and Kafka Streams is RUNNING. */
    static Readiness readiness(StageRunner runner) {
        if (runner == null) {
            return Readiness.no("loading models");
        }
        KafkaStreams.State state = runner.state();
        return state == KafkaStreams.State.RUNNING ? Readiness.yes() : Readiness.no("Kafka Streams is " + state);
    }
}
