package io.animegan.app;

import io.animegan.common.trace.Telemetry;
import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import io.animegan.status.StatusSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Runs the HTTP API and web page against an existing Kafka cluster and S3/MinIO.")
final class IngestCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(IngestCommand.class);

    @Mixin
    HttpPortOption port;

    @Option(
            names = "--retention",
            defaultValue = "${env:ANIMEGAN_RETENTION:-30d}",
            converter = DurationConverter.class,
            description =
                    "How long a picture's status and blobs are kept after its last change, e.g. 30d, 12h, PT1H (env ANIMEGAN_RETENTION). Default: ${DEFAULT-VALUE}")
    Duration retention;

    @Option(
            names = "--advertised-host",
            defaultValue = "${env:ANIMEGAN_ADVERTISED_HOST:-localhost}",
            description =
                    "Host name other ingest instances reach this one by, for statuses it owns (env ANIMEGAN_ADVERTISED_HOST). Default: ${DEFAULT-VALUE}")
    String advertisedHost;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    HttpOptions http;

    @Mixin
    WebhookOptions webhooks;

    @Mixin
    LogOptions logs;

    @Override
    public Integer call() throws Exception {
        StatusSettings status = StatusSettings.withRetention(retention).withAdvertisedHost(advertisedHost);
        IngestSettings settings = http.toSettings(port.port()).withStatus(status);
        StartupChecks.requireFreePort(settings.bindAddress(), port.port(), HttpPortOption.NAME);
        Telemetry.start("animegan-ingest");
        IngestServer server = IngestServer.start(
                connection.toConfig(),
                settings,
                http.toLimits().withCallbacks(webhooks.policy()),
                http.toVideoAdmission());
        log.info("ingest listening on {}", HttpOptions.describe(settings, server.port()));
        Lifecycle.runUntilStopped(server);
        return 0;
    }
}
