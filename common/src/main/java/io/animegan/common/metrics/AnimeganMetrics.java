package io.animegan.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import java.time.Duration;

/**
 * The one metrics registry of this JVM, in Prometheus format. One per process rather than one per
 * component, so that {@code ./animegan run} (stages and ingest in one JVM) serves every series on
 * ingest's {@code /metrics}, and a stage process serves its own on {@code --metrics-port}.
 *
 * <p>Every exported series starts with {@code animegan_}: the prefix is added when the registry
 * writes names out, so third-party binders (JVM, Kafka Streams) keep the meter names they compare
 * internally and are still exported as {@code animegan_jvm_...}, {@code animegan_kafka_...}.
 */
public final class AnimeganMetrics {

    public static final String PREFIX = "animegan.";
    /** The Prometheus text exposition format served on /metrics. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final PrometheusMeterRegistry REGISTRY = create();

    private AnimeganMetrics() {}

    public static PrometheusMeterRegistry registry() {
        return REGISTRY;
    }

    /** Every series of this JVM in the Prometheus text format. */
    public static String scrape() {
        return REGISTRY.scrape();
    }

    /** Time of one model inference (ONNX Runtime session run), by model file. */
    public static Timer modelTimer(String model) {
        return Timer.builder(PREFIX + "model.inference")
                .description("Time of one ONNX Runtime inference")
                .tag("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(REGISTRY);
    }

    private static PrometheusMeterRegistry create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().namingConvention(new Prefixed(new PrometheusNamingConvention()));
        registry.config().commonTags("application", "animegan-stream");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry); // listens for the JVM's lifetime, so never closed
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ResidentMemory.bindTo(registry);
        return registry;
    }

    /** Prometheus names with the {@code animegan_} prefix on every series. */
    private record Prefixed(NamingConvention delegate) implements NamingConvention {
        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            return delegate.name(name.startsWith(PREFIX) ? name : PREFIX + name, type, baseUnit);
        }

        @Override
        public String tagKey(String key) {
            return delegate.tagKey(key);
        }
    }
}
