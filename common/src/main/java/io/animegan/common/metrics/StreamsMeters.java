package io.animegan.common.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kafka Streams' own metrics (its consumer's {@code records-lag} per partition among them) in this
 * JVM's registry, tagged with the application id, so lag can be summed per stage. They export as
 * {@code animegan_kafka_...}, e.g. {@code animegan_kafka_consumer_fetch_manager_records_lag}.
 */
public final class StreamsMeters {

  /**
   * How often new Kafka metrics (partition-level lag appears once partitions are assigned) are
   * looked for; Micrometer's default of a minute would hide a fresh stage's lag for that long.
   */
  static final Duration REFRESH = Duration.ofSeconds(5);

  private StreamsMeters() {}

  /** Binds until the returned handle is closed (with the Kafka Streams instance). */
  public static Binding bind(String applicationId, KafkaStreams streams) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "kafka-metrics-" + applicationId);
      thread.setDaemon(true);
      return thread;
    });
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("application.id", applicationId),
        scheduler, REFRESH);
    metrics.bindTo(AnimeganMetrics.registry());
    return () -> {
      scheduler.shutdownNow();
      metrics.close();
    };
  }

  /** Removes the bound meters; closing twice is harmless. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }
}
