package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.CloudEventHeaders;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.contract.ContractProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 3 of issue 17: a plain Kafka consumer, knowing nothing of Avro, reads the completed,
 * failed and jobs-completed topics after real pictures went through the embedded pipeline, and
 * routes every record by its {@code ce_type} header alone; every record carries every required
 * CloudEvents attribute.
 */
class CloudEventsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;

    private static EmbeddedPipeline pipeline;

    @BeforeAll
    static void start() {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        pipeline = EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, 2);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** What a consumer does with each kind of event: here, count it and keep the record. */
    private record Routed(
            List<ConsumerRecord<byte[], byte[]>> completed,
            List<ConsumerRecord<byte[], byte[]>> failed,
            List<ConsumerRecord<byte[], byte[]>> jobs) {

        void route(ConsumerRecord<byte[], byte[]> record) {
            switch (header(record, "ce_type")) {
                case "io.animegan.image.completed" -> completed.add(record);
                case "io.animegan.image.failed" -> failed.add(record);
                case "io.animegan.job.completed" -> jobs.add(record);
                default -> throw new AssertionError("unrouteable ce_type on " + record.topic());
            }
        }

        boolean all() {
            return !completed.isEmpty() && !failed.isEmpty() && !jobs.isEmpty();
        }
    }

    @Test
    void aPlainConsumerRoutesEveryCompletionFailureAndJobByCeType() throws Exception {
        byte[] photo = TestAssets.sampleBytes("portrait-headphones.jpg");
        AnimeganClient.Response created;
        try (ContractProxy contract = ContractProxy.to(pipeline.url())) {
            created = new AnimeganClient(contract.url())
                    .createJob(
                            List.of(
                                    new AnimeganClient.Part("portrait.jpg", photo),
                                    new AnimeganClient.Part("broken.jpg", Arrays.copyOf(photo, photo.length / 2))),
                            Map.of("maxSide", "256"));
            contract.assertNoMismatches();
        }
        assertThat(created.status()).isEqualTo(202);
        String job = created.json().path("job").asText();

        Topics topics = pipeline.config().topics();
        Routed routed = new Routed(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
            consumer.subscribe(List.of(
                    topics.completed().name(),
                    topics.failed().name(),
                    topics.jobsCompleted().name()));
            await("a completed, a failed and a job record")
                    .atMost(TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(routed::route);
                        return routed.all();
                    });
        }

        for (var record : routed.completed()) {
            assertAttributes(record, "io.animegan.image.completed", "/animegan/blend-stage");
            assertThat(record.headers().lastHeader(TraceHeaders.TRACEPARENT))
                    .as("traceparent")
                    .isNotNull();
        }
        for (var record : routed.failed()) {
            assertAttributes(record, "io.animegan.image.failed", "/animegan/face-stage");
            assertThat(record.headers().lastHeader(TraceHeaders.TRACEPARENT))
                    .as("traceparent")
                    .isNotNull();
        }
        assertThat(routed.jobs())
                .extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                .contains(job);
        for (var record : routed.jobs()) {
            assertAttributes(record, "io.animegan.job.completed", "/animegan/status");
        }
    }

    private static void assertAttributes(ConsumerRecord<byte[], byte[]> record, String type, String source) {
        for (String name : CloudEventHeaders.HEADERS) {
            assertThat(record.headers().headers(name))
                    .as("%s on %s", name, record.topic())
                    .hasSize(1);
        }
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo(type);
        assertThat(header(record, "ce_source")).isEqualTo(source);
        assertThat(header(record, "ce_subject")).isEqualTo(new String(record.key(), StandardCharsets.UTF_8));
        assertThat(header(record, "ce_id")).isNotBlank();
        assertThat(java.time.OffsetDateTime.parse(header(record, "ce_time"))
                        .toInstant()
                        .toEpochMilli())
                .isEqualTo(record.timestamp());
        assertThat(header(record, "content-type")).isEqualTo(CloudEventHeaders.CONTENT_TYPE);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.config().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "cloudevents-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
