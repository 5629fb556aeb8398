package io.animegan.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaIT {

    private static final String TOPIC = "photos";
    private static final String GROUP = "embedded-kafka-test";

    @TempDir
    Path dataDir;

    @Test
    void transactionalRecordAndOffsetsSurviveRestart() throws Exception {
        String clusterId;
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            System.out.printf("EmbeddedKafka cold start: %d ms%n", millisSince(t0));
            clusterId = kafka.clusterId();
            assertThat(kafka.bootstrapServers()).matches("localhost:\\d+");
            assertThat(dataDir.resolve("kafka/meta.properties")).isRegularFile();

            try (Admin admin = admin(kafka)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                assertThat(partitions(admin)).isEqualTo(3);
            }

            try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "job-1", "inputs/job-1/original"));
                producer.commitTransaction();
            }

            // read_committed, subscribed in a group, offsets committed: all of it must survive.
            try (KafkaConsumer<String, String> consumer = consumer(kafka, GROUP)) {
                consumer.subscribe(List.of(TOPIC));
                List<ConsumerRecord<String, String>> records = pollUntil(consumer, 1);
                assertThat(records).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("job-1");
                    assertThat(r.value()).isEqualTo("inputs/job-1/original");
                });
                consumer.commitSync();
            }

            kafka.close();
            kafka.close(); // idempotent
        }

        long t1 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            System.out.printf("EmbeddedKafka warm restart on the same dir: %d ms%n", millisSince(t1));
            assertThat(kafka.clusterId()).isEqualTo(clusterId);

            try (Admin admin = admin(kafka)) {
                assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                        .isEqualTo(clusterId);
                assertThat(partitions(admin)).isEqualTo(3);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                // The record plus the transaction's commit marker: the committed position is 2 on one partition.
                assertThat(committed.values().stream()
                                .mapToLong(OffsetAndMetadata::offset)
                                .sum())
                        .isEqualTo(2);
            }

            // A fresh group reads the same record again from the beginning.
            try (KafkaConsumer<String, String> consumer = consumer(kafka, GROUP + "-after-restart")) {
                consumer.subscribe(List.of(TOPIC));
                List<ConsumerRecord<String, String>> records = pollUntil(consumer, 1);
                assertThat(records).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("job-1");
                    assertThat(r.value()).isEqualTo("inputs/job-1/original");
                });
            }

            // The transactional id is still usable after the restart (transaction state survived).
            try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "job-2", "inputs/job-2/original"));
                producer.commitTransaction();
            }
        }
    }

    @Test
    void usesTheGivenBrokerPortRefusesASecondBrokerOnTheSameDirAndCloseIsIdempotent() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = dataDir.resolve("fixed");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, port);
        try {
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThatThrownBy(() -> EmbeddedKafka.start(dir, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use");
            try (Admin admin = admin(kafka)) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .hasSize(1);
            }
        } finally {
            kafka.close();
            kafka.close();
        }
    }

    private static int partitions(Admin admin) throws Exception {
        Map<String, TopicDescription> d =
                admin.describeTopics(Set.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS);
        return d.get(TOPIC).partitions().size();
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        Awaitility.await(count + " records")
                .atMost(Duration.ofSeconds(30))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                    return out.size() >= count;
                });
        return out;
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test-tx");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
