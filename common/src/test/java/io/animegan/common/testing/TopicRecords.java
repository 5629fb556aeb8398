package io.animegan.common.testing;

import io.animegan.common.config.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A pipeline's topics as the tests use them: a record sent as ingest sends it (acknowledged by every
 * replica), and records read as a read_committed consumer that commits nothing sees them, so a test
 * never counts what an aborted transaction wrote and never disturbs a consumer group.
 */
public final class TopicRecords {

    /** Longest wait for a topic to be read to its end or for an awaited record. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicRecords() {}

    /** Sends {@code value} keyed {@code key} and waits until the broker has it. */
    public static <V> void send(String bootstrapServers, Topic<V> topic, String key, V value) {
        send(bootstrapServers, topic, new ProducerRecord<>(topic.name(), key, value));
    }

    /** Sends {@code record} (with its headers) to {@code topic} and waits until the broker has it. */
    public static <V> void send(String bootstrapServers, Topic<V> topic, ProducerRecord<String, V> record) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                topic.valueSerde().serializer())) {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic.name(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic.name(), e);
        }
    }

    /** A read_committed consumer on every partition of {@code topic}, from its beginning; the caller closes it. */
    public static <K, V> KafkaConsumer<K, V> fromBeginning(
            String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
        return fromBeginning(bootstrapServers, List.of(topic), keys, values);
    }

    /** A read_committed consumer on every partition of {@code topics}, from their beginning; the caller closes it. */
    public static <K, V> KafkaConsumer<K, V> fromBeginning(
            String bootstrapServers, List<String> topics, Deserializer<K> keys, Deserializer<V> values) {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                keys,
                values);
        List<TopicPartition> partitions = topics.stream()
                .flatMap(topic ->
                        consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Every committed record of {@code topic} up to its end as it stands now (its last stable
     * offset, so a transaction still open ends the reading, not its records).
     */
    public static List<ConsumerRecord<String, byte[]>> toEnd(String bootstrapServers, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer =
                fromBeginning(bootstrapServers, topic, new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            reading(topic + " to its end").until(() -> {
                if (end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    return true;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return false;
            });
        }
        return records;
    }

    /** The committed values keyed {@code key} on {@code topic}, up to its end as it stands now. */
    public static <V> List<V> values(String bootstrapServers, Topic<V> topic, String key) {
        return toEnd(bootstrapServers, topic.name()).stream()
                .filter(record -> key.equals(record.key()))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .toList();
    }

    /**
     * The first committed record keyed {@code key} on {@code topic}, waited for up to {@code
     * timeout}; {@code check} runs between reads and stops the wait by throwing (a process that
     * should write the record has exited, say).
     */
    public static <V> ConsumerRecord<String, V> awaitRecord(
            String bootstrapServers, String topic, Deserializer<V> values, String key, Duration timeout, Check check) {
        try (var consumer = fromBeginning(bootstrapServers, topic, new StringDeserializer(), values)) {
            return reading("a record for " + key + " on " + topic)
                    .atMost(timeout)
                    .until(
                            () -> {
                                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                                    if (key.equals(record.key())) {
                                        return record;
                                    }
                                }
                                check.run();
                                return null;
                            },
                            Objects::nonNull);
        }
    }

    /** Runs between the reads of {@link #awaitRecord}; throws to stop the wait. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    /** A wait whose condition polls a consumer, which must stay on this thread. */
    public static ConditionFactory reading(String what) {
        return Awaitility.await(what)
                .atMost(READ_TIMEOUT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1));
    }
}
