package io.animegan.app;

import io.animegan.common.metrics.MetricsServer;
import io.animegan.common.metrics.Readiness;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The HTTP port of a process that has no other: metrics for Prometheus, health and readiness probes. */
public final class MetricsOptions {

    private static final Logger log = LoggerFactory.getLogger(MetricsOptions.class);

    @Option(
            names = "--metrics-port",
            defaultValue = "${env:ANIMEGAN_METRICS_PORT:-0}",
            description =
                    "Port serving /metrics (Prometheus), /healthz and /readyz; 0 = none (env ANIMEGAN_METRICS_PORT). Default: ${DEFAULT-VALUE}")
    int metricsPort;

    /** The server, or empty when no port is configured. */
    Optional<MetricsServer> start(Supplier<Readiness> readiness) {
        if (metricsPort <= 0) {
            return Optional.empty();
        }
        StartupChecks.requireFreePort("0.0.0.0", metricsPort, "--metrics-port (env ANIMEGAN_METRICS_PORT)");
        MetricsServer server = MetricsServer.start(metricsPort, readiness);
        log.info("metrics, health and readiness on http://localhost:{}/metrics", server.port());
        return Optional.of(server);
    }
}
