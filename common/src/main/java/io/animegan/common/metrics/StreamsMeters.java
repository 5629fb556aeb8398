package io.animegan.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kafka Streams' own metrics in this JVM's registry, tagged with the application id: they export
 * as {@code animegan_kafka_...}, among them the consumer's per-partition
 * {@link #RECORDS_LAG}; and {@link #STAGE_LAG}, that lag summed for the whole stage instance.
 */
public final class StreamsMeters {

    /** Kafka's per-partition consumer lag as exported (tags application_id, client_id, topic, partition). */
    public static final String RECORDS_LAG = "animegan_kafka_consumer_fetch_manager_records_lag";
    /** Records waiting in this instance's assigned input partitions. */
    public static final String STAGE_LAG = AnimeganMetrics.PREFIX + "stage.consumer.lag";

    /**
     * How often new Kafka metrics (partition-level lag appears once partitions are assigned) are
     * looked for; Micrometer's default of a minute would hide a fresh stage's lag for that long.
     */
    static final Duration REFRESH = Duration.ofSeconds(5);

    private StreamsMeters() {}

    /** Binds until the returned handle is closed (with the Kafka Streams instance). */
    public static Binding bind(String applicationId, KafkaStreams streams) {
        MeterRegistry registry = AnimeganMetrics.registry();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kafka-metrics-" + applicationId);
            thread.setDaemon(true);
            return thread;
        });
        KafkaStreamsMetrics metrics =
                new KafkaStreamsMetrics(streams, Tags.of("application.id", applicationId), scheduler, REFRESH);
        metrics.bindTo(registry);
        Gauge lag = Gauge.builder(STAGE_LAG, streams, s -> consumerLag(s.metrics()))
                .description("Records waiting in the input partitions assigned to this stage instance")
                .tag("application.id", applicationId)
                .register(registry);
        return () -> {
            scheduler.shutdownNow();
            metrics.close();
            registry.remove(lag);
        };
    }

    /**
     * The sum of the main consumer's {@code records-lag} over its partitions. Kafka also reports
     * each dotted topic a second time under a deprecated name with '_' for '.', so partitions are
     * keyed by the normalised name to count each once.
     */
    static double consumerLag(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Double> byPartition = new HashMap<>();
        metrics.forEach((name, metric) -> {
            Map<String, String> tags = name.tags();
            if (name.group().equals("consumer-fetch-manager-metrics")
                    && name.name().equals("records-lag")
                    && tags.containsKey("partition")
                    && !tags.getOrDefault("client-id", "").endsWith("restore-consumer")
                    && metric.metricValue() instanceof Number value
                    && !Double.isNaN(value.doubleValue())) {
                byPartition.put(tags.get("topic").replace('.', '_') + "/" + tags.get("partition"), value.doubleValue());
            }
        });
        return byPartition.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Removes the bound meters; closing twice is harmless. */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}
