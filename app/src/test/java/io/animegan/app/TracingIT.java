package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.testing.TopicRecords;
import io.animegan.common.trace.Telemetry;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.contract.ContractProxy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance 7: one picture's work is one OpenTelemetry trace, from the HTTP request
 * through ingest's submission to every stage, received here by an in-memory exporter put in the
 * one place the SDK is built; and each stage's output record names that stage's span in its
 * {@code traceparent}.
 */
class TracingIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final AttributeKey<String> IMAGE_ID = AttributeKey.stringKey("animegan.image.id");

    @TempDir
    static Path dataDir;

    private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private static EmbeddedPipeline pipeline;
    private static AnimeganClient api;
    /** Every answer the client receives is checked against the OpenAPI document on its way. */
    private static ContractProxy contract;

    @BeforeAll
    static void start() {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        Telemetry.use(Telemetry.withProcessor("animegan", SimpleSpanProcessor.create(spans)));
        pipeline = EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, 1);
        contract = ContractProxy.to("http://localhost:" + pipeline.httpPort());
        api = new AnimeganClient(contract.url());
    }

    @AfterAll
    static void stop() {
        if (contract != null) {
            contract.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        Telemetry.use(Telemetry.withProcessor("animegan", null));
        if (contract != null) {
            contract.assertNoMismatches();
        }
    }

    @Test
    void onePictureIsOneTraceFromTheHttpRequestThroughEveryStage() throws Exception {
        AnimeganClient.Response response = api.upload(
                "group-of-three.jpg",
                TestAssets.sampleBytes("group-of-three.jpg"),
                Map.of("maxSide", "384", "faces", "true"));
        assertThat(response.status()).as(new String(response.body())).isEqualTo(202);
        String id = response.json().path("images").get(0).path("id").asText();
        JsonNode status = api.awaitFinished(id, TIMEOUT);
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("done");

        SpanData submit = awaitSpan("ingest submit", id);
        SpanData face = awaitSpan("face-stage process", id);
        SpanData stylize = awaitSpan("stylize-stage process", id);
        SpanData blend = awaitSpan("blend-stage process", id);
        SpanData http = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(submit.getParentSpanId()))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no span is the submission's parent: " + spans.getFinishedSpanItems()));

        String traceId = http.getTraceId();
        assertThat(List.of(submit, face, stylize, blend))
                .extracting(SpanData::getTraceId)
                .containsOnly(traceId);
        assertThat(http.getName()).isEqualTo("POST /api/images");
        assertThat(http.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(http.getParentSpanContext().isValid())
                .as("the request's span is the root")
                .isFalse();
        assertThat(http.getAttributes().get(AttributeKey.stringKey("http.request.method")))
                .isEqualTo("POST");
        assertThat(http.getAttributes().get(AttributeKey.stringKey("http.route")))
                .isEqualTo("/api/images");
        assertThat(http.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(202L);
        assertThat(submit.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(List.of(face, stylize, blend)).extracting(SpanData::getKind).containsOnly(SpanKind.CONSUMER);
        assertThat(face.getParentSpanId()).as("face follows the submission").isEqualTo(submit.getSpanId());
        assertThat(stylize.getParentSpanId()).as("stylize follows face").isEqualTo(face.getSpanId());
        assertThat(blend.getParentSpanId()).as("blend follows stylize").isEqualTo(stylize.getSpanId());
        assertThat(List.of(http, submit, face, stylize, blend))
                .extracting(s -> s.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                .containsOnly("animegan");

        PipelineConfig config = pipeline.config();
        assertThat(traceparent(config.topics().submitted(), id))
                .as("the submitted record")
                .isEqualTo(submit.getSpanId());
        assertThat(traceparent(config.topics().facesDetected(), id))
                .as("face's output")
                .isEqualTo(face.getSpanId());
        assertThat(traceparent(config.topics().stylized(), id))
                .as("stylize's output")
                .isEqualTo(stylize.getSpanId());
        assertThat(traceparent(config.topics().completed(), id))
                .as("blend's output")
                .isEqualTo(blend.getSpanId());
        assertThat(traceIdOn(config.topics().completed(), id)).contains(traceId);
        var submitted = config.topics().submitted();
        assertThat(submitted
                        .valueSerde()
                        .deserializer()
                        .deserialize(submitted.name(), record(submitted, id).value())
                        .getTrace()
                        .getTraceId())
                .as("the event's trace id is the trace's")
                .isEqualTo(traceId);
    }

    /** The finished span of this name about image {@code id}, waiting briefly for a stage to end it. */
    private static SpanData awaitSpan(String name, String id) {
        return Awaitility.await("span " + name + " for " + id)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getName().equals(name)
                                        && id.equals(s.getAttributes().get(IMAGE_ID)))
                                .findFirst(),
                        Optional::isPresent)
                .get();
    }

    /** The span id in the {@code traceparent} of image {@code id}'s record on the topic. */
    private static String traceparent(Topic<?> topic, String id) {
        SpanContext span = Span.fromContext(
                        TraceHeaders.extract(record(topic, id).headers(), null))
                .getSpanContext();
        assertThat(span.isValid()).as("a valid traceparent on " + topic.name()).isTrue();
        return span.getSpanId();
    }

    private static Optional<String> traceIdOn(Topic<?> topic, String id) {
        return TraceHeaders.traceId(record(topic, id).headers());
    }

    private static ConsumerRecord<String, byte[]> record(Topic<?> topic, String id) {
        return TopicRecords.awaitRecord(
                pipeline.config().bootstrapServers(),
                topic.name(),
                new ByteArrayDeserializer(),
                id,
                Duration.ofSeconds(30),
                () -> {});
    }
}
