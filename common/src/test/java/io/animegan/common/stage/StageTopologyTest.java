package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.StorageException;
import io.animegan.common.trace.LogContext;
import io.animegan.common.trace.Telemetry;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The shared stage topology, driven by Kafka Streams' own test driver with a real processor. */
class StageTopologyTest {

    private static ImageSubmitted submitted(String id, int maxSide) {
        return ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName("a.jpg")
                .setSource(new BlobRef("b", "inputs/" + id))
                .setSizeBytes(1)
                .setOptions(Options.newBuilder().setMaxSide(maxSide).build())
                .setTrace(new Trace("t-" + id, 1L, Map.of("ingest", 5L)))
                .build();
    }

    /** Fails pictures whose maxSide is odd, as a real stage fails pictures it cannot read. */
    private static FacesDetected process(ImageSubmitted event) {
        if (event.getOptions().getMaxSide() % 2 == 1) {
            throw new StageException(ErrorCode.CORRUPT_IMAGE, "odd picture");
        }
        return FacesDetected.newBuilder()
                .setImageId(event.getImageId())
                .setSource(event.getSource())
                .setWidth(10)
                .setHeight(20)
                .setOptions(event.getOptions())
                .setFaces(List.of())
                .setTrace(Traces.withStage(event.getTrace(), "face", 7))
                .build();
    }

    @Test
    void goodPicturesGoOnAndBadOnesBecomeFailureEventsWithoutStoppingTheStage() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        var topology = StageTopology.build(
                "face", topics.submitted(), topics.facesDetected(), topics.failed(), StageTopologyTest::process);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, ImageSubmitted> in = input(driver, topics.submitted());
            TestOutputTopic<String, FacesDetected> out = output(driver, topics.facesDetected());
            TestOutputTopic<String, ImageFailed> failed = output(driver, topics.failed());

            in.pipeInput("a", submitted("a", 1920));
            in.pipeInput("b", submitted("b", 1921));
            in.pipeInput("c", submitted("c", 512));

            var ok = out.readKeyValuesToList();
            assertThat(ok).extracting(kv -> kv.key).containsExactly("a", "c");
            assertThat(ok.get(0).value.getTrace().getStageMs())
                    .containsEntry("ingest", 5L)
                    .containsEntry("face", 7L);
            ImageFailed failure = failed.readValue();
            assertThat(failure.getImageId()).isEqualTo("b");
            assertThat(failure.getStage()).isEqualTo("face");
            assertThat(failure.getErrorCode()).isEqualTo("CORRUPT_IMAGE");
            assertThat(failure.getMessage()).isEqualTo("odd picture");
            assertThat(failure.getTrace().getTraceId()).isEqualTo("t-b");
            assertThat(failed.isEmpty()).isTrue();
        }
    }

    @Test
    void eachOutputCarriesThePicturesTraceWithThisStagesSpanAndTheIdsAreLoggedMeanwhile() {
        Map<String, Map<String, String>> logContexts = new HashMap<>();
        StageProcessor<ImageSubmitted, FacesDetected> recording = event -> {
            logContexts.put(event.getImageId(), MDC.getCopyOfContextMap());
            return process(event);
        };
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Telemetry.use(Telemetry.withProcessor("test", SimpleSpanProcessor.create(spans)));
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        var topology =
                StageTopology.build("face", topics.submitted(), topics.facesDetected(), topics.failed(), recording);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties())) {
            TestInputTopic<String, ImageSubmitted> in = input(driver, topics.submitted());
            Span ingest = Telemetry.tracer()
                    .spanBuilder("ingest submit")
                    .setNoParent()
                    .startSpan();
            Span other = Telemetry.tracer()
                    .spanBuilder("ingest submit")
                    .setParent(Context.root().with(ingest))
                    .startSpan();
            in.pipeInput(new TestRecord<>(
                    "a",
                    submitted("a", 512),
                    TraceHeaders.of(TraceHeaders.withJob(Context.root().with(ingest), "job-1")),
                    (Instant) null));
            in.pipeInput(new TestRecord<>(
                    "b", submitted("b", 511), TraceHeaders.of(Context.root().with(other)), (Instant) null));
            String traceId = ingest.getSpanContext().getTraceId();

            TestRecord<String, FacesDetected> ok =
                    output(driver, topics.facesDetected()).readRecord();
            SpanData face = spans.getFinishedSpanItems().get(0);
            assertThat(face.getName()).isEqualTo("face-stage process");
            assertThat(face.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(face.getTraceId()).isEqualTo(traceId);
            assertThat(face.getParentSpanId())
                    .as("a child of the span that wrote the record")
                    .isEqualTo(ingest.getSpanContext().getSpanId());
            assertThat(face.getAttributes().get(AttributeKey.stringKey("animegan.image.id")))
                    .isEqualTo("a");
            assertThat(face.getAttributes().get(AttributeKey.stringKey("animegan.job.id")))
                    .isEqualTo("job-1");
            assertThat(face.getAttributes().get(AttributeKey.stringKey("animegan.style")))
                    .isEqualTo("hayao");
            assertThat(face.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(TraceHeaders.traceId(ok.headers())).contains(traceId);
            assertThat(traceparent(ok.headers()))
                    .as("this stage's own span, sampled")
                    .matches("00-" + traceId + "-" + face.getSpanId() + "-0[13]");
            assertThat(ok.headers().headers(TraceHeaders.TRACEPARENT)).hasSize(1);
            assertThat(TraceHeaders.jobId(TraceHeaders.extract(ok.headers(), null)))
                    .as("the job travels on to the next stages")
                    .contains("job-1");
            assertThat(logContexts.get("a"))
                    .containsEntry(LogContext.IMAGE_ID, "a")
                    .containsEntry(LogContext.JOB_ID, "job-1")
                    .containsEntry(LogContext.TRACE_ID, traceId)
                    .containsEntry(LogContext.SPAN_ID, face.getSpanId());

            TestRecord<String, ImageFailed> failed =
                    output(driver, topics.failed()).readRecord();
            SpanData failedSpan = spans.getFinishedSpanItems().get(1);
            assertThat(TraceHeaders.traceId(failed.headers())).contains(traceId);
            assertThat(failedSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(failedSpan.getAttributes().get(AttributeKey.stringKey("animegan.error.code")))
                    .isEqualTo("CORRUPT_IMAGE");
            assertThat(logContexts.get("b"))
                    .as("nothing left over from the record before")
                    .containsEntry(LogContext.IMAGE_ID, "b")
                    .doesNotContainKey(LogContext.JOB_ID);
            assertThat(MDC.getCopyOfContextMap())
                    .as("cleared after each record")
                    .isNullOrEmpty();
            assertThat(Span.current().getSpanContext().isValid())
                    .as("no span left current")
                    .isFalse();
        } finally {
            Telemetry.use(Telemetry.withProcessor("test", null));
        }
    }

    @Test
    void aRecordWithoutAUsableHeaderContinuesTheEventsTraceInsteadOfFailing() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        var topology = StageTopology.build(
                "face", topics.submitted(), topics.facesDetected(), topics.failed(), StageTopologyTest::process);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties())) {
            var headers =
                    new RecordHeaders().add(TraceHeaders.TRACEPARENT, "00-broken".getBytes(StandardCharsets.UTF_8));
            input(driver, topics.submitted())
                    .pipeInput(new TestRecord<>("a", submitted("a", 512), headers, (Instant) null));
            TestRecord<String, FacesDetected> ok =
                    output(driver, topics.facesDetected()).readRecord();
            assertThat(TraceHeaders.traceId(ok.headers())).get().asString().matches("[0-9a-f]{32}");

            ImageSubmitted withUuidTrace = submitted("b", 512);
            withUuidTrace.setTrace(new Trace("0af76519-16cd-43dd-8448-eb211c80319c", 1L, Map.of()));
            input(driver, topics.submitted())
                    .pipeInput(new TestRecord<>("b", withUuidTrace, new RecordHeaders(), (Instant) null));
            assertThat(TraceHeaders.traceId(
                            output(driver, topics.facesDetected()).readRecord().headers()))
                    .contains("0af7651916cd43dd8448eb211c80319c");
        }
    }

    private static String traceparent(org.apache.kafka.common.header.Headers headers) {
        return new String(headers.lastHeader(TraceHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8);
    }

    private static Properties properties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return props;
    }

    @Test
    void unexpectedErrorsFailThePictureButStorageOutagesAreRetried() {
        StageProcessor<ImageSubmitted, FacesDetected> buggy = e -> {
            throw new IllegalStateException("bug");
        };
        var outcome = StageTopology.run("blend", buggy, submitted("x", 8));
        assertThat(outcome.failure().getErrorCode()).isEqualTo("INTERNAL_ERROR");
        assertThat(outcome.failure().getMessage()).contains("bug");

        StageProcessor<ImageSubmitted, FacesDetected> storageDown = e -> {
            throw new StorageException("storage: cannot get", null);
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> StageTopology.run("blend", storageDown, submitted("y", 8)))
                .isInstanceOf(StorageException.class);
    }

    private static <V> TestInputTopic<String, V> input(TopologyTestDriver driver, Topic<V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private static <V> TestOutputTopic<String, V> output(TopologyTestDriver driver, Topic<V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
