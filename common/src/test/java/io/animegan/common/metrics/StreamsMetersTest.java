package io.animegan.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

/** A stage's lag from Kafka's consumer metrics, each partition counted once. */
class StreamsMetersTest {

    @Test
    void sumsTheMainConsumersPartitionLagCountingDottedTopicsOnce() {
        try (Metrics metrics = new Metrics()) {
            lag(metrics, "app-StreamThread-1-consumer", "animegan.images.faces", "0", 3);
            // Kafka's deprecated duplicate of the same partition, '.' replaced by '_'
            lag(metrics, "app-StreamThread-1-consumer", "animegan_images_faces", "0", 3);
            lag(metrics, "app-StreamThread-1-consumer", "animegan.images.faces", "1", 4);
            lag(metrics, "app-StreamThread-1-restore-consumer", "app-store-changelog", "0", 100);
            assertThat(StreamsMeters.consumerLag(metrics.metrics())).isEqualTo(7);
        }
    }

    private static void lag(Metrics metrics, String clientId, String topic, String partition, double value) {
        Measurable measurable = (config, now) -> value;
        metrics.addMetric(
                metrics.metricName(
                        "records-lag",
                        "consumer-fetch-manager-metrics",
                        Map.of("client-id", clientId, "topic", topic, "partition", partition)),
                measurable);
    }
}
