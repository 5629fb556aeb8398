package io.animegan.app;

import io.animegan.common.trace.Telemetry;
import io.animegan.ingest.IngestSettings;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Runs the whole system in this JVM: embedded Kafka (KRaft) and S3 servers, all stages, the web server.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    HttpPortOption port;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    ModelsOption models;

    @Mixin
    GeneratorModelOption generator;

    @Option(
            names = "--partitions",
            defaultValue = "${env:ANIMEGAN_PARTITIONS:-3}",
            description = "Partitions per topic (env ANIMEGAN_PARTITIONS). Default: ${DEFAULT-VALUE}")
    int partitions;

    @Mixin
    HttpOptions http;

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
        long start = System.nanoTime();
        Telemetry.start("animegan");
        IngestSettings settings = http.toSettings(port.port());
        // Checked before the broker, storage and sessions start, so a wrong setting stops it at once.
        StartupChecks.requireFreePort(settings.bindAddress(), port.port(), HttpPortOption.NAME);
        StartupChecks.requireModels(models.dir(), generator.model(), EnumSet.allOf(StageName.class));
        // Every stage shares this JVM's cores with the broker and the storage.
        spinning.apply(false);
        arena.apply();
        Path data = dataDir.dir().toAbsolutePath();
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(
                data,
                settings,
                http.toLimits().withCallbacks(webhooks.policy()),
                models.dir(),
                generator.model(),
                partitions,
                EnumSet.allOf(StageName.class),
                webhooks.toSettings(data));
        log.info(
                "animegan-stream ready in {} s: {}; Ctrl-C stops",
                String.format("%.1f", (System.nanoTime() - start) / 1e9),
                HttpOptions.describe(settings, pipeline.httpPort()));
        Lifecycle.runUntilStopped(pipeline);
        return 0;
    }
}
