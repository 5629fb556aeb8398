package io.animegan.video.stage;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StreamsSettings;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings for the applications whose records are clips or segments: a stage's
 * settings ({@link StreamsSettings}) with one record per poll, so the segments of one clip wait on
 * the partition rather than behind each other in one instance's batch, and a transaction open
 * long enough for the slowest record: planning a 60 s 4K clip (fetching a few hundred MB and
 * reading every packet), assembling a 60 s clip (fetching the original and its segments, storing
 * the result), or drawing one segment of a slow style at full output size.
 */
public final class VideoStreamsSettings {

    /** Longest time one clip or segment may take before its transaction is aborted and it is retried. */
    public static final int TRANSACTION_TIMEOUT_MS = 600_000;

    private VideoStreamsSettings() {}

    public static Properties forApplication(String applicationId, PipelineConfig config) {
        Properties p = StreamsSettings.forStage(
                applicationId,
                config.bootstrapServers(),
                config.kafkaClient(),
                config.stateDir(),
                config.topics().deadLetter().name());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 2 * TRANSACTION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1);
        return p;
    }
}
