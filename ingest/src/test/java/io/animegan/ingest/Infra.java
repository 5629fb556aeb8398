package io.animegan.ingest;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.ImageSubmitted;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;

/** A real Kafka broker and S3 server in this JVM, with helpers to play the stages' part. */
final class Infra implements AutoCloseable {

    static final String ACCESS_KEY = "ingest-test";
    static final String SECRET_KEY = "ingest-test-secret";

    final EmbeddedKafka kafka;
    final EmbeddedS3 s3;
    final PipelineConfig config;
    private final KafkaProducer<String, byte[]> producer;
    /** Built once: each MinIO client otherwise parses every system CA certificate (seconds). */
    private MinioClient s3Client;

    private Infra(EmbeddedKafka kafka, EmbeddedS3 s3, Path dir) {
        this.kafka = kafka;
        this.s3 = s3;
        this.config = new PipelineConfig(
                kafka.bootstrapServers(),
                Topics.withPrefix("test.images.", 2, (short) 1),
                new StorageConfig(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "animegan-test", "us-east-1"),
                dir.resolve("models"),
                PipelineConfig.DEFAULT_GENERATOR,
                0,
                dir.resolve("state"));
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    static Infra start(Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        try {
            EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
            return new Infra(kafka, s3, dir);
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    Topics topics() {
        return config.topics();
    }

    /** Writes an event onto its topic, as the stage that emits it would, and waits for the ack. */
    void produce(Object event) throws Exception {
        send(event).get();
    }

    /** Writes many events without waiting for each ack, then waits for all of them. */
    void produceAll(List<?> events) throws Exception {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (Object event : events) {
            acks.add(send(event));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> ack : acks) {
            ack.get();
        }
    }

    private java.util.concurrent.Future<?> send(Object event) {
        Topics t = topics();
        if (event instanceof ImageSubmitted e) {
            return send(t.submitted(), e.getImageId(), e);
        } else if (event instanceof FacesDetected e) {
            return send(t.facesDetected(), e.getImageId(), e);
        } else if (event instanceof ImageStylized e) {
            return send(t.stylized(), e.getImageId(), e);
        } else if (event instanceof ImageCompleted e) {
            return send(t.completed(), e.getImageId(), e);
        } else if (event instanceof ImageFailed e) {
            return send(t.failed(), e.getImageId(), e);
        }
        throw new IllegalArgumentException(String.valueOf(event));
    }

    /** Writes an event onto any topic under {@code key}, as the stage writing it would, and waits for the ack. */
    <V> void produce(Topic<V> topic, String key, V event) throws Exception {
        send(topic, key, event).get();
    }

    private <V> java.util.concurrent.Future<?> send(Topic<V> topic, String key, V event) {
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), event);
        return producer.send(new ProducerRecord<>(topic.name(), key, value));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Sum of the topic's end offsets: changes whenever anything is written to it. */
    long endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** Every record on the topic, from the beginning. */
    List<ConsumerRecord<String, byte[]>> records(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Awaitility.await("reading " + topic + " to its end")
                    .atMost(Duration.ofSeconds(15))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        if (partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                            return true;
                        }
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return false;
                    });
            return records;
        }
    }

    /** Keys of the stored objects under a prefix. */
    synchronized List<String> objects(String prefix) {
        if (s3Client == null) {
            s3Client = MinioClient.builder()
                    .endpoint(s3.endpoint())
                    .credentials(ACCESS_KEY, SECRET_KEY)
                    .build();
        }
        MinioClient client = s3Client;
        return StreamSupport.stream(
                        client.listObjects(ListObjectsArgs.builder()
                                        .bucket(config.storage().bucket())
                                        .prefix(prefix)
                                        .recursive(true)
                                        .build())
                                .spliterator(),
                        false)
                .map(result -> {
                    try {
                        return result.get().objectName();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    /**
     * Waits until the instances' start-up rebalances are over: for 2 s on end, every status app is
     * RUNNING, all name the same owner for each of 20 ids, and each can say a tenant's stored bytes
     * (which every upload asks, from the owner of the tenant's partition). Meanwhile requests may
     * meet a 503, which the tests do not expect.
     */
    static void awaitSettled(IngestServer... servers) {
        Awaitility.await("the instances' status apps settled")
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> settled(servers));
    }

    private static boolean settled(IngestServer... servers) {
        try {
            for (int i = 0; i < 20; i++) {
                String id = "settle-" + i;
                if (java.util.Arrays.stream(servers)
                                .map(s -> s.statuses().ownerOf(id))
                                .distinct()
                                .count()
                        != 1) {
                    return false;
                }
            }
            for (IngestServer server : servers) {
                server.statuses().storedBytes("settle-a");
                server.statuses().storedBytes("settle-b");
            }
            return java.util.Arrays.stream(servers).allMatch(s -> s.statuses().isRunning());
        } catch (RuntimeException e) {
            return false; // still rebalancing
        }
    }

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }

    /**
     * An image id whose records land on the same partition as {@code id}'s. The status app reads a
     * partition in order, so once it has folded a record of this id, it has folded every record of
     * {@code id}'s written before on that topic.
     */
    String onSamePartitionAs(String id) {
        int partition = partitionOf(id);
        for (int i = 0; ; i++) {
            String other = id + "-later-" + i;
            if (partitionOf(other) == partition) {
                return other;
            }
        }
    }

    /** As the producer's default partitioner places a keyed record. */
    private int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % topics().partitions();
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(2));
        try {
            s3.close();
        } finally {
            kafka.close();
        }
    }
}
