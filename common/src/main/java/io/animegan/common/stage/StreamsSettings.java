package io.animegan.common.stage;

import io.animegan.common.config.KafkaClientSettings;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka Streams settings for stages whose records take seconds each (a 1080p picture is several
 * seconds of generator time on two cores). The transaction stays open while a record is
 * processed, so its timeout and the poll interval are sized for the slowest picture accepted;
 * a stage fetches few records at a time so that a rebalance never waits behind a long batch.
 */
public final class StreamsSettings {

    /** Longest time one record may take before its transaction is aborted and it is retried. */
    public static final int TRANSACTION_TIMEOUT_MS = 300_000;

    private StreamsSettings() {}

    /**
     * @param deadLetterTopic where records no serde can read go, with headers naming their source
     *     topic, partition, offset and the error (Kafka Streams' own dead-letter queue, KIP-1034)
     */
    public static Properties forStage(
            String applicationId, String bootstrapServers, Path stateDir, String deadLetterTopic) {
        return forStage(applicationId, bootstrapServers, KafkaClientSettings.NONE, stateDir, deadLetterTopic);
    }

    /** As {@link #forStage(String, String, Path, String)}, with the client settings of a secured cluster on top. */
    public static Properties forStage(
            String applicationId,
            String bootstrapServers,
            KafkaClientSettings client,
            Path stateDir,
            String deadLetterTopic) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // One thread: ONNX Runtime already uses every core; scale by instances and partitions.
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(applicationId).toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 2 * TRANSACTION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.TASK_TIMEOUT_MS_CONFIG, 60_000);
        // Heartbeats run on their own thread, so a short session is safe even with slow records; it
        // bounds how long a crashed instance's partitions wait before another instance takes them.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 15_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, TransientFailureHandler.class);
        return client.applyTo(p);
    }
}
