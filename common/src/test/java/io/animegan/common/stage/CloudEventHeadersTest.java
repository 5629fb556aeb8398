package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topics;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The CloudEvents headers the stage topology writes on completion and failure records. */
class CloudEventHeadersTest {

    private static final Instant AT = Instant.parse("2026-12-07T06:00:00Z");
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static ImageStylized stylized(String id, int maxSide) {
        BlobRef blob = new BlobRef("b", "work/" + id);
        return ImageStylized.newBuilder()
                .setImageId(id)
                .setSource(blob)
                .setStylized(blob)
                .setWidth(10)
                .setHeight(20)
                .setOptions(Options.newBuilder().setMaxSide(maxSide).build())
                .setFaces(List.of())
                .setTrace(new Trace("t-" + id, 1L, Map.of()))
                .build();
    }

    /** Completes pictures of even maxSide and fails the others. */
    private static ImageCompleted blend(ImageStylized event) {
        if (event.getOptions().getMaxSide() % 2 == 1) {
            throw new StageException(ErrorCode.CORRUPT_IMAGE, "odd picture");
        }
        return ImageCompleted.newBuilder()
                .setImageId(event.getImageId())
                .setResult(event.getStylized())
                .setContentType("image/jpeg")
                .setWidth(10)
                .setHeight(20)
                .setFaceCount(0)
                .setFaces(List.of())
                .setOptions(event.getOptions())
                .setTrace(event.getTrace())
                .build();
    }

    @Test
    void completionsAndFailuresCarryEveryAttributeWithAStableIdAndKeepTheirTraceparent() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        var topology = StageTopology.build(
                "blend", topics.stylized(), topics.completed(), topics.failed(), CloudEventHeadersTest::blend);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, ImageStylized> in = driver.createInputTopic(
                    topics.stylized().name(),
                    Serdes.String().serializer(),
                    topics.stylized().valueSerde().serializer());
            // A leftover ce_type from upstream must be replaced, not kept beside the new one.
            Headers upstream = new RecordHeaders()
                    .add(TraceHeaders.TRACEPARENT, TRACEPARENT.getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", "io.animegan.something.else".getBytes(StandardCharsets.UTF_8));
            in.pipeInput(new TestRecord<>("a", stylized("a", 512), upstream, AT));
            in.pipeInput(new TestRecord<>("b", stylized("b", 513), new RecordHeaders(), AT));
            in.pipeInput(new TestRecord<>("a", stylized("a", 512), new RecordHeaders(), AT));

            var completed = driver.createOutputTopic(
                            topics.completed().name(),
                            Serdes.String().deserializer(),
                            Serdes.ByteArray().deserializer())
                    .readRecordsToList();
            var failed = driver.createOutputTopic(
                            topics.failed().name(),
                            Serdes.String().deserializer(),
                            Serdes.ByteArray().deserializer())
                    .readRecordsToList();

            assertThat(completed).hasSize(2);
            assertThat(failed).hasSize(1);
            CloudEvent done = event(completed.get(0));
            assertThat(done.getSpecVersion().toString()).isEqualTo(CloudEventHeaders.SPEC_VERSION);
            assertThat(done.getType()).isEqualTo("io.animegan.image.completed");
            assertThat(done.getSource().toString()).isEqualTo("/animegan/blend-stage");
            assertThat(done.getSubject()).isEqualTo("a");
            assertThat(done.getTime().toInstant()).isEqualTo(AT);
            assertThat(done.getDataContentType()).isEqualTo(CloudEventHeaders.CONTENT_TYPE);
            assertThat(completed.get(0).headers().headers("ce_type")).hasSize(1);
            assertThat(new String(
                            completed
                                    .get(0)
                                    .headers()
                                    .lastHeader(TraceHeaders.TRACEPARENT)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .contains("0af7651916cd43dd8448eb211c80319c");
            // The same picture processed again is the same event.
            assertThat(event(completed.get(1)).getId()).isEqualTo(done.getId());
            // The value is still the topic's Avro event.
            assertThat(topics.completed()
                            .valueSerde()
                            .deserializer()
                            .deserialize("", completed.get(0).value())
                            .getImageId())
                    .isEqualTo("a");

            CloudEvent failure = event(failed.get(0));
            assertThat(failure.getType()).isEqualTo("io.animegan.image.failed");
            assertThat(failure.getSubject()).isEqualTo("b");
            assertThat(failure.getId()).isNotEqualTo(done.getId());
            ImageFailed value = topics.failed()
                    .valueSerde()
                    .deserializer()
                    .deserialize("", failed.get(0).value());
            assertThat(value.getImageId()).isEqualTo("b");
            for (var record : List.of(completed.get(0), completed.get(1), failed.get(0))) {
                for (String header : CloudEventHeaders.HEADERS) {
                    assertThat(record.headers().lastHeader(header)).as(header).isNotNull();
                }
            }
        }
    }

    /** Reads the headers back with the SDK's own binary-mode reader. */
    private static CloudEvent event(TestRecord<String, byte[]> record) {
        return KafkaMessageFactory.createReader(record.headers(), record.value())
                .toEvent();
    }
}
