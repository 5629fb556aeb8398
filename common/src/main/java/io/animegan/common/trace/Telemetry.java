package io.animegan.common.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the process's OpenTelemetry SDK is built and kept. Spans always get real W3C ids
 * (they travel in {@code traceparent} headers and the JSON logs whether or not anything is
 * exported); they leave the process only through OTLP, and only when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set.
 *
 * <p>Until {@link #start} (or {@link #use} in tests) is called, an SDK that exports nothing is in
 * place, so library code and unit tests trace without any set-up.
 */
public final class Telemetry {

    private static final Logger log = LoggerFactory.getLogger(Telemetry.class);
    /** The instrumentation scope of every span this project makes. */
    public static final String SCOPE = "io.animegan";

    static final String TRACES_EXPORTER = "otel.traces.exporter";
    static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";

    /**
     * Keeps spans real when nothing is exported: without any span processor the SDK hands out no-op
     * spans, whose all-zero ids would leave the {@code traceparent} headers and the logs without ids.
     */
    private static final SpanProcessor IDS_ONLY = new SpanProcessor() {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return false;
        }

        @Override
        public String toString() {
            return "IdsOnlySpanProcessor";
        }
    };

    private static volatile OpenTelemetrySdk current = withProcessor("animegan", null);

    private Telemetry() {}

    /**
     * Builds the process's SDK from the standard {@code OTEL_*} environment variables (and
     * {@code otel.*} system properties) and makes it current: W3C trace context and baggage,
     * {@code service.name} = {@code serviceName} unless {@code OTEL_SERVICE_NAME} says otherwise, a
     * batching OTLP/HTTP exporter when an OTLP endpoint is set and no exporter at all otherwise.
     * Metrics and logs are never exported through OpenTelemetry (Prometheus and the JSON logs do
     * that). Call {@link #shutdown} on the way out to flush.
     */
    public static synchronized OpenTelemetrySdk start(String serviceName) {
        Configured configured = fromEnvironment(serviceName, Map.of());
        use(configured.sdk());
        // Quiet when nothing is exported: a command that fails at start prints only its one error line.
        if (configured.exporters().isEmpty()) {
            log.debug("tracing as {}: no OTEL_EXPORTER_OTLP_ENDPOINT, spans are not exported", serviceName);
        } else {
            log.info("tracing as {}: spans are exported through OTLP", serviceName);
        }
        return configured.sdk();
    }

    /**
     * The SDK {@link #start} would build, without making it current.
     *
     * @param overrides {@code otel.*} properties taking precedence over the environment (tests)
     */
    public static Configured fromEnvironment(String serviceName, Map<String, String> overrides) {
        List<SpanExporter> exporters = new CopyOnWriteArrayList<>();
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", serviceName);
        defaults.put("otel.propagators", "tracecontext,baggage");
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        AutoConfiguredOpenTelemetrySdk built = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(config -> onlyWithAnEndpoint(config, overrides))
                .addTracerProviderCustomizer((tracerProvider, config) -> tracerProvider.addSpanProcessor(IDS_ONLY))
                .addSpanExporterCustomizer((exporter, config) -> {
                    exporters.add(exporter);
                    return exporter;
                })
                .disableShutdownHook()
                .build();
        return new Configured(built.getOpenTelemetrySdk(), List.copyOf(exporters));
    }

    /**
     * What is exported: traces through OTLP when an endpoint is given, else nothing (not even to
     * the SDK's default of localhost:4318); metrics and logs never.
     */
    private static Map<String, String> onlyWithAnEndpoint(ConfigProperties config, Map<String, String> overrides) {
        Map<String, String> forced = new HashMap<>(overrides);
        boolean endpoint = isSet(forced.getOrDefault(ENDPOINT, config.getString(ENDPOINT)))
                || isSet(forced.getOrDefault(TRACES_ENDPOINT, config.getString(TRACES_ENDPOINT)));
        if (!endpoint) {
            forced.put(TRACES_EXPORTER, "none");
        } else if (!isSet(forced.getOrDefault(TRACES_EXPORTER, config.getString(TRACES_EXPORTER)))) {
            forced.put(TRACES_EXPORTER, "otlp");
        }
        forced.put("otel.metrics.exporter", "none");
        forced.put("otel.logs.exporter", "none");
        return forced;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** An SDK with this span processor (null: none, nothing exported); what tests install with {@link #use}. */
    public static OpenTelemetrySdk withProcessor(String serviceName, SpanProcessor processor) {
        var tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.builder()
                                .put("service.name", serviceName)
                                .build()))
                .addSpanProcessor(IDS_ONLY);
        if (processor != null) {
            tracerProvider.addSpanProcessor(processor);
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
    }

    /** Makes {@code sdk} the process's (the one before is not closed: its owner closes it). */
    public static synchronized void use(OpenTelemetrySdk sdk) {
        current = sdk;
    }

    public static OpenTelemetry get() {
        return current;
    }

    public static Tracer tracer() {
        return current.getTracer(SCOPE);
    }

    public static TextMapPropagator propagator() {
        return current.getPropagators().getTextMapPropagator();
    }

    /** An SDK built from the environment, and the span exporters it was given (none: nothing leaves the process). */
    public record Configured(OpenTelemetrySdk sdk, List<SpanExporter> exporters) {}

    /** Flushes what is still batched and stops the exporter; spans started afterwards go nowhere. */
    public static synchronized void shutdown() {
        OpenTelemetrySdk sdk = current;
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
}
