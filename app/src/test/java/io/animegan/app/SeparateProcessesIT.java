package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.app.launch.AnimeganJvm;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.testing.TopicRecords;
import io.animegan.common.trace.Telemetry;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.face.FaceStageApp;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three stages as three separate JVMs, configured only by command line and environment; one
 * picture's trace followed through their Kafka headers and JSON log lines.
 */
class SeparateProcessesIT {

    private static final String ACCESS_KEY = "animegan";
    private static final List<String> STAGES = List.of("face", "stylize", "blend");
    private static final String JOB = "job-logs-1";

    @Test
    void threeStageProcessesCompleteAnImageThroughOneBrokerAndOneS3Server(@TempDir Path dir) throws Exception {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        String secret = UUID.randomUUID().toString();
        EmbeddedKafka kafka = SharedBroker.kafka();
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, secret)) {
            Topics topics = Topics.withPrefix("multi.", 2, (short) 1);
            PipelineConfig config = new PipelineConfig(
                    kafka.bootstrapServers(),
                    topics,
                    new StorageConfig(s3.endpoint(), ACCESS_KEY, secret, "animegan", "us-east-1"),
                    models,
                    PipelineConfig.DEFAULT_GENERATOR,
                    1,
                    dir.resolve("state"));
            BlobStore store = new BlobStore(config.storage());
            store.ensureBucket();
            TopicAdmin.ensureTopics(config.bootstrapServers(), topics);

            List<Process> stages = new ArrayList<>();
            try {
                for (String stage : STAGES) {
                    stages.add(startStage(stage, config, secret, dir));
                }
                String id = Keys.newImageId();
                SpanContext ingest = Telemetry.tracer()
                        .spanBuilder("test submit")
                        .setNoParent()
                        .startSpan()
                        .getSpanContext();
                submit(config, store, id, ingest);
                ConsumerRecord<String, ImageCompleted> last =
                        awaitRecord(config, config.topics().completed(), id, Duration.ofMinutes(4), stages, dir);
                ImageCompleted completed = last.value();

                assertThat(completed.getFaceCount()).isEqualTo(3);
                assertThat(completed.getTrace().getStageMs()).containsKeys("face", "stylize", "blend");
                byte[] result = store.get(completed.getResult());
                assertThat(ImageCodec.decode(result).cols()).isEqualTo(512);
                for (Process stage : stages) {
                    assertThat(stage.isAlive())
                            .as("stage processes keep running")
                            .isTrue();
                }
                List<SpanContext> spans = List.of(
                        ingest,
                        span(awaitRecord(
                                config, config.topics().facesDetected(), id, Duration.ofSeconds(30), stages, dir)),
                        span(awaitRecord(config, config.topics().stylized(), id, Duration.ofSeconds(30), stages, dir)),
                        span(last));
                assertOnePictureIsFollowedThroughHeadersAndLogs(dir, id, spans);
            } finally {
                for (Process stage : stages) {
                    stage.destroy();
                }
                for (Process stage : stages) {
                    stage.waitFor();
                }
            }
        }
    }

    private static Process startStage(String stage, PipelineConfig config, String secret, Path dir) throws IOException {
        // The production logging configuration (INFO lines), not the tests' quieter one.
        List<String> args = new ArrayList<>(List.of(
                "stage",
                stage,
                "--bootstrap-servers",
                config.bootstrapServers(),
                "--s3-endpoint",
                config.storage().endpoint(),
                "--models",
                config.modelsDir().toString(),
                "--topic-prefix",
                "multi.",
                "--partitions",
                "2",
                "--onnx-threads",
                "1",
                "--state-dir",
                (dir.resolve("state-" + stage).toString())));
        if (stage.equals("stylize")) {
            args.addAll(List.of("--log-format", "json")); // the option; the others use the environment
        }
        ProcessBuilder builder = AnimeganJvm.builder(
                        dir.resolve(stage + ".args"),
                        List.of("-Xss4m", "-Xmx1g", "-Dlogback.configurationFile=logback.xml"),
                        args)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(stage + ".log").toFile());
        builder.environment().put("ANIMEGAN_S3_ACCESS_KEY", ACCESS_KEY);
        builder.environment().put("ANIMEGAN_S3_SECRET_KEY", secret);
        if (stage.equals("stylize")) {
            builder.environment().remove("ANIMEGAN_LOG_FORMAT");
        } else {
            builder.environment().put("ANIMEGAN_LOG_FORMAT", "json");
        }
        return builder.start();
    }

    /** As ingest does: the event's trace id is the trace's, whose first span is in the record's headers. */
    private static void submit(PipelineConfig config, BlobStore store, String id, SpanContext ingest) throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        var source = store.put(Keys.original(id), photo, "image/jpeg");
        ImageSubmitted event = ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName("group-of-three.jpg")
                .setSource(source)
                .setSizeBytes(photo.length)
                .setOptions(Options.newBuilder().setMaxSide(512).build())
                .setTrace(new Trace(ingest.getTraceId(), System.currentTimeMillis(), Map.of()))
                .setJobId(JOB)
                .setJobSize(1)
                .build();
        TopicRecords.send(
                config.bootstrapServers(),
                config.topics().submitted(),
                new ProducerRecord<>(
                        config.topics().submitted().name(),
                        null,
                        id,
                        event,
                        TraceHeaders.of(TraceHeaders.withJob(Context.root().with(Span.wrap(ingest)), JOB))));
    }

    /** The record of image {@code id} on {@code topic}, as a read_committed consumer sees it. */
    private static <V> ConsumerRecord<String, V> awaitRecord(
            PipelineConfig config, Topic<V> topic, String id, Duration timeout, List<Process> stages, Path dir)
            throws IOException {
        try {
            return TopicRecords.awaitRecord(
                    config.bootstrapServers(), topic.name(), topic.valueSerde().deserializer(), id, timeout, () -> {
                        if (stages.stream().anyMatch(stage -> !stage.isAlive())) {
                            throw new AssertionError("a stage process exited: " + logs(dir));
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no record for " + id + " on " + topic.name() + " within " + timeout + "\n" + logs(dir), e);
        }
    }

    private static SpanContext span(ConsumerRecord<String, ?> record) {
        SpanContext span =
                Span.fromContext(TraceHeaders.extract(record.headers(), null)).getSpanContext();
        if (!span.isValid()) {
            throw new AssertionError("no valid traceparent on " + record.topic());
        }
        return span;
    }

    /**
     * Issue 10, "Logs": ingest's span, then one span per stage, all of the picture's trace; each
     * stage's log lines about the picture are JSON objects with its ids and the stage's own span, one
     * of them the stage's INFO line for the picture.
     *
     * @param spans ingest's span, then the span on each stage's output record, in pipeline order
     */
    private static void assertOnePictureIsFollowedThroughHeadersAndLogs(Path dir, String id, List<SpanContext> spans)
            throws IOException {
        String traceId = spans.get(0).getTraceId();
        assertThat(spans).extracting(SpanContext::getTraceId).containsOnly(traceId);
        assertThat(spans).extracting(SpanContext::getSpanId).doesNotHaveDuplicates();
        for (int i = 0; i < STAGES.size(); i++) {
            String stage = STAGES.get(i);
            List<JsonNode> lines = jsonLinesAbout(dir.resolve(stage + ".log"), id);
            String spanId = spans.get(i + 1).getSpanId();
            assertThat(lines).as(stage + " logs the picture").isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("traceId").asText()).isEqualTo(traceId);
                assertThat(line.path("spanId").asText())
                        .as("the span of its output")
                        .isEqualTo(spanId);
                assertThat(line.path("jobId").asText())
                        .as("the job travels as baggage")
                        .isEqualTo(JOB);
                assertThat(line.has("timestamp") && line.has("level") && line.has("logger") && line.has("thread"))
                        .isTrue();
            });
            assertThat(lines)
                    .as(stage + ": one INFO line per picture")
                    .filteredOn(line -> line.path("level").asText().equals("INFO")
                            && line.path("message").asText().startsWith(stage + ": image " + id + " done in"))
                    .hasSize(1);
        }
    }

    /** Every JSON line of a log (each must parse as one object) that is about this image. */
    private static List<JsonNode> jsonLinesAbout(Path log, String id) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> about = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            // Other lines are the JVM's own warnings and the commands' println, not log lines.
            if (line.startsWith("{")) {
                JsonNode node = json.readTree(line);
                if (id.equals(node.path("imageId").asText())) {
                    about.add(node);
                }
            }
        }
        return about;
    }

    private static String logs(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String stage : STAGES) {
            Path log = dir.resolve(stage + ".log");
            if (Files.exists(log)) {
                String text = Files.readString(log);
                all.append("--- ")
                        .append(stage)
                        .append(" ---\n")
                        .append(text, Math.max(0, text.length() - 4000), text.length());
            }
        }
        return all.toString();
    }
}
