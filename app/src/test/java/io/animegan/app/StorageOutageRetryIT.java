package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageProcessor;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.StageTopology;
import io.animegan.common.stage.StreamsSettings;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.StorageException;
import io.animegan.common.testing.TopicRecords;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outage that outlives the store's retries: the processor gives the record back, the stream
 * thread is replaced, the open transaction is aborted and the records are processed again from
 * the last commit. Nothing is failed, lost or seen twice by a read_committed reader.
 */
class StorageOutageRetryIT {

    @Test
    void aStorageOutageLongerThanTheRetriesReplacesTheThreadAndLosesOrDuplicatesNothing(@TempDir Path dir)
            throws Exception {
        Topics topics = Topics.withPrefix("retry.", 1, (short) 1);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        // "b" meets an outage on its first attempt, after "a" has been processed in the same transaction.
        StageProcessor<ImageSubmitted, FacesDetected> processor = event -> {
            int attempt = calls.computeIfAbsent(event.getImageId(), id -> new AtomicInteger())
                    .incrementAndGet();
            if (event.getImageId().equals("b") && attempt == 1) {
                throw new StorageException("storage: cannot get inputs/b/original: still unavailable", null);
            }
            return FacesDetected.newBuilder()
                    .setImageId(event.getImageId())
                    .setSource(event.getSource())
                    .setWidth(1)
                    .setHeight(1)
                    .setOptions(event.getOptions())
                    .setFaces(List.of())
                    .setTrace(event.getTrace())
                    .build();
        };
        EmbeddedKafka kafka = SharedBroker.kafka();
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), topics);
        for (String id : List.of("a", "b", "c")) {
            TopicRecords.send(kafka.bootstrapServers(), topics.submitted(), id, submitted(id));
        }
        try (StageRunner stage = new StageRunner(
                        "retry-test",
                        StageTopology.build(
                                "face", topics.submitted(), topics.facesDetected(), topics.failed(), processor),
                        StreamsSettings.forStage(
                                "retry-test",
                                kafka.bootstrapServers(),
                                dir.resolve("state"),
                                topics.deadLetter().name()),
                        processor)
                .start()) {
            // Offsets commit in the transaction with the output: once all three inputs are, every output
            // record (a duplicate too) is on the topics below their last stable offset.
            awaitConsumed(
                    kafka, "retry-test", new TopicPartition(topics.submitted().name(), 0), 3);
            List<String> out = readCommitted(kafka, topics.facesDetected().name());

            assertThat(out).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(calls.get("b").get())
                    .as("b retried after the thread was replaced")
                    .isEqualTo(2);
            assertThat(readCommitted(kafka, topics.failed().name())).isEmpty();
            assertThat(stage.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        }
    }

    private static ImageSubmitted submitted(String id) {
        return ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName(id + ".jpg")
                .setSource(new BlobRef("animegan", "inputs/" + id + "/original"))
                .setSizeBytes(1)
                .setOptions(Options.newBuilder().build())
                .setTrace(new Trace("t-" + id, 1L, Map.of()))
                .build();
    }

    private static void awaitConsumed(EmbeddedKafka kafka, String group, TopicPartition input, long records) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Awaitility.await(group + " committed " + records + " records of " + input)
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(input);
                        return committed != null && committed.offset() >= records;
                    });
        }
    }

    /** Keys on the topic as a read_committed reader sees them, up to its last stable offset. */
    private static List<String> readCommitted(EmbeddedKafka kafka, String topic) {
        return TopicRecords.toEnd(kafka.bootstrapServers(), topic).stream()
                .map(ConsumerRecord::key)
                .toList();
    }
}
