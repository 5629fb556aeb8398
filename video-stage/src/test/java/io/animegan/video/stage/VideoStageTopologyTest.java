package io.animegan.video.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topics;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.storage.Keys;
import io.animegan.common.storage.StorageException;
import io.animegan.events.BlobRef;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.SegmentRequested;
import io.animegan.events.Trace;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import io.animegan.video.VideoError;
import io.animegan.video.VideoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The video stage's bookkeeping on Kafka, with the clip work itself stood in for (no broker, no storage). */
class VideoStageTopologyTest {

    static final String BUCKET = "animegan";
    static final VideoTopics TOPICS = Topics.withPrefix("", 1, (short) 1).videos();

    @Test
    void aPlannedClipGoesOutAsOnePlanItsPreviewAndOneKeyedRecordPerSegment() {
        Function<VideoSubmitted, ClipPlanning.Outcome> plan = submitted -> new ClipPlanning.Outcome(
                planned(submitted.getVideoId(), 3),
                preview(submitted),
                List.of(0, 1, 2).stream()
                        .map(i -> new ClipPlanning.Keyed<>(
                                VideoTopics.segmentKey(submitted.getVideoId(), i), request(submitted, i)))
                        .toList());
        try (Driver d = new Driver(plan, (drawn, collected) -> {
            throw new AssertionError("no assembly");
        })) {
            long before = System.currentTimeMillis();
            d.submitted.pipeInput("v1", submitted("v1"), 0L);

            assertThat(d.planned.readRecordsToList()).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("v1");
                assertThat(r.value().getSegments()).isEqualTo(3);
                // Stamped when the step finished, not with its input's time: progress reads record times.
                assertThat(r.timestamp()).isGreaterThanOrEqualTo(before);
            });
            assertThat(d.segments.readKeyValuesToList())
                    .extracting(kv -> kv.key)
                    .containsExactly("v1/0", "v1/1", "v1/2");
            assertThat(d.previews.readKeyValuesToList()).singleElement().satisfies(kv -> {
                assertThat(kv.key).isEqualTo("v1");
                assertThat(kv.value.getPreview()).isTrue();
            });
            assertThat(d.failed.isEmpty()).isTrue();
        }
    }

    @Test
    void aRefusedClipFailsWithItsCodeAndCloudEventsHeadersAndTheNextOneIsPlanned() {
        Function<VideoSubmitted, ClipPlanning.Outcome> plan = submitted -> {
            if (submitted.getVideoId().equals("bad")) {
                throw new VideoException(VideoError.TOO_LONG, "61 s is longer than 60 s");
            }
            return new ClipPlanning.Outcome(planned(submitted.getVideoId(), 1), preview(submitted), List.of());
        };
        try (Driver d = new Driver(plan, (drawn, collected) -> null)) {
            d.submitted.pipeInput("bad", submitted("bad"));
            d.submitted.pipeInput("good", submitted("good"));

            TestRecord<String, VideoFailed> failure = d.failed.readRecord();
            assertThat(failure.key()).isEqualTo("bad");
            assertThat(failure.value().getStage()).isEqualTo(ClipPlanning.NAME);
            assertThat(failure.value().getErrorCode()).isEqualTo("TOO_LONG");
            assertThat(header(failure, "ce_type")).isEqualTo("io.animegan.video.failed");
            assertThat(header(failure, "ce_subject")).isEqualTo("bad");
            assertThat(d.planned.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("good");
        }
    }

    @Test
    void aClipIsAssembledOnceWhenItsLastSegmentArrivesWhateverTheOrderAndDuplicates() {
        List<Collected> assembled = new ArrayList<>();
        BiFunction<SegmentDrawn, Collected, VideoCompleted> assemble = (drawn, collected) -> {
            assembled.add(collected);
            return completed(drawn.getVideoId());
        };
        try (Driver d = new Driver(submitted -> null, assemble)) {
            SegmentDrawn preview = drawn("v1", 0, 3, 150);
            preview.setPreview(true);
            d.drawn.pipeInput("v1", preview);
            d.drawn.pipeInput("v1", drawn("v1", 2, 3, 10));
            d.drawn.pipeInput("v1", drawn("v1", 0, 3, 11));
            d.drawn.pipeInput("v1", drawn("v1", 0, 3, 11));
            assertThat(d.completed.isEmpty()).isTrue();
            d.drawn.pipeInput("v1", drawn("v1", 1, 3, 12));
            // Replayed after completion (a retried stylize record, a reprocessed partition).
            d.drawn.pipeInput("v1", drawn("v1", 1, 3, 12));
            d.drawn.pipeInput("v1", drawn("v1", 2, 3, 10));

            TestRecord<String, VideoCompleted> done = d.completed.readRecord();
            assertThat(done.key()).isEqualTo("v1");
            assertThat(header(done, "ce_type")).isEqualTo("io.animegan.video.completed");
            assertThat(d.completed.isEmpty()).isTrue();
            assertThat(assembled)
                    .singleElement()
                    .satisfies(c ->
                            assertThat(c.frames()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 11, 1, 12, 2, 10)));
        }
    }

    @Test
    void aFailureOfAnyStageDropsTheCollectedSegmentsAndLaterOnesAreIgnored() {
        try (Driver d = new Driver(submitted -> null, (drawn, collected) -> {
            throw new AssertionError("a failed clip is never assembled");
        })) {
            d.drawn.pipeInput("v1", drawn("v1", 0, 2, 5));
            d.failedIn.pipeInput("v1", failed("v1", "stylize", "MODEL_ERROR"));
            d.drawn.pipeInput("v1", drawn("v1", 1, 2, 5));

            assertThat(d.completed.isEmpty()).isTrue();
            assertThat(d.store().get("v1")).isEqualTo("failed");
        }
    }

    @Test
    void aSegmentNamingAnotherObjectFailsTheClip() {
        try (Driver d = new Driver(submitted -> null, (drawn, collected) -> completed(drawn.getVideoId()))) {
            SegmentDrawn forged = drawn("v1", 0, 1, 5);
            forged.setSegment(new BlobRef(BUCKET, Keys.result("other", "mp4")));
            d.drawn.pipeInput("v1", forged);

            assertThat(d.failed.readValue().getErrorCode()).isEqualTo(ErrorCode.FORBIDDEN_KEY.name());
            assertThat(d.completed.isEmpty()).isTrue();
        }
    }

    @Test
    void anAssemblyThatCannotBeDoneFailsTheClipOnce() {
        try (Driver d = new Driver(submitted -> null, (drawn, collected) -> {
            throw new StageException(ErrorCode.INTERNAL_ERROR, "the drawn segments do not match the clip's plan");
        })) {
            d.drawn.pipeInput("v1", drawn("v1", 0, 1, 5));
            d.drawn.pipeInput("v1", drawn("v1", 0, 1, 5));

            List<VideoFailed> failures = d.failed.readValuesToList();
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.getStage()).isEqualTo(ClipAssembly.NAME);
                assertThat(f.getErrorCode()).isEqualTo("INTERNAL_ERROR");
            });
        }
    }

    @Test
    void aStorageOutageIsNotTheClipsFault() {
        StorageException outage = new StorageException("storage: cannot get inputs/v1/original", null);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> VideoFailures.of(ClipPlanning.NAME, "v1", trace(), outage)))
                .isSameAs(outage);
    }

    @Test
    void collectedStateRoundTrips() {
        Collected some = Collected.NONE.with(2, 30).with(0, 31);
        assertThat(Collected.decode(some.encode())).isEqualTo(some);
        assertThat(Collected.decode(Collected.ASSEMBLED.encode()).closed()).isTrue();
        assertThat(Collected.decode(null)).isEqualTo(Collected.NONE);
        assertThat(some.complete(2)).isFalse();
        assertThat(some.with(1, 30).complete(3)).isTrue();
    }

    /** The topology under test with its input and output topics. */
    static final class Driver implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, VideoSubmitted> submitted;
        final TestInputTopic<String, SegmentDrawn> drawn;
        final TestInputTopic<String, VideoFailed> failedIn;
        final TestOutputTopic<String, VideoPlanned> planned;
        final TestOutputTopic<String, SegmentRequested> segments;
        final TestOutputTopic<String, SegmentRequested> previews;
        final TestOutputTopic<String, VideoCompleted> completed;
        final TestOutputTopic<String, VideoFailed> failed;

        Driver(
                Function<VideoSubmitted, ClipPlanning.Outcome> plan,
                BiFunction<SegmentDrawn, Collected, VideoCompleted> assemble) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, VideoStageApp.APPLICATION_ID);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir());
            driver = new TopologyTestDriver(VideoStageTopology.build(TOPICS, plan, assemble, BUCKET), props);
            submitted = driver.createInputTopic(
                    TOPICS.submitted().name(),
                    TOPICS.submitted().keySerde().serializer(),
                    TOPICS.submitted().valueSerde().serializer());
            drawn = driver.createInputTopic(
                    TOPICS.segmentsDrawn().name(),
                    TOPICS.segmentsDrawn().keySerde().serializer(),
                    TOPICS.segmentsDrawn().valueSerde().serializer());
            failedIn = driver.createInputTopic(
                    TOPICS.failed().name(),
                    TOPICS.failed().keySerde().serializer(),
                    TOPICS.failed().valueSerde().serializer());
            planned = driver.createOutputTopic(
                    TOPICS.planned().name(),
                    TOPICS.planned().keySerde().deserializer(),
                    TOPICS.planned().valueSerde().deserializer());
            segments = driver.createOutputTopic(
                    TOPICS.segments().name(),
                    TOPICS.segments().keySerde().deserializer(),
                    TOPICS.segments().valueSerde().deserializer());
            previews = driver.createOutputTopic(
                    TOPICS.previews().name(),
                    TOPICS.previews().keySerde().deserializer(),
                    TOPICS.previews().valueSerde().deserializer());
            completed = driver.createOutputTopic(
                    TOPICS.completed().name(),
                    TOPICS.completed().keySerde().deserializer(),
                    TOPICS.completed().valueSerde().deserializer());
            failed = driver.createOutputTopic(
                    TOPICS.failed().name(),
                    TOPICS.failed().keySerde().deserializer(),
                    TOPICS.failed().valueSerde().deserializer());
        }

        org.apache.kafka.streams.state.KeyValueStore<String, String> store() {
            return driver.getKeyValueStore(VideoStageTopology.STORE);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static String stateDir() {
        try {
            return Files.createTempDirectory("video-stage-test-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(TestRecord<String, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static Trace trace() {
        return new Trace("t", 1L, Map.of());
    }

    static VideoSubmitted submitted(String id) {
        return VideoSubmitted.newBuilder()
                .setVideoId(id)
                .setName(id + ".mp4")
                .setSource(new BlobRef(BUCKET, Keys.original(id)))
                .setSizeBytes(1)
                .setOptions(VideoOptions.newBuilder().build())
                .setTrace(trace())
                .build();
    }

    static VideoPlanned planned(String id, int segments) {
        return VideoPlanned.newBuilder()
                .setVideoId(id)
                .setFrames(segments * 10)
                .setSegments(segments)
                .setWidth(320)
                .setHeight(240)
                .setFrameRate("25/1")
                .setDurationSeconds(segments * 0.4)
                .setHasAudio(false)
                .setTrace(trace())
                .build();
    }

    static SegmentRequested request(VideoSubmitted submitted, int index) {
        return SegmentRequested.newBuilder()
                .setVideoId(submitted.getVideoId())
                .setIndex(index)
                .setSegments(3)
                .setFrameStart(index * 10)
                .setFrameEnd(index * 10 + 10)
                .setSource(submitted.getSource())
                .setOptions(submitted.getOptions())
                .setTrace(trace())
                .build();
    }

    static ClipPlanning.Keyed<SegmentRequested> preview(VideoSubmitted submitted) {
        SegmentRequested preview = request(submitted, 0);
        preview.setPreview(true);
        return new ClipPlanning.Keyed<>(submitted.getVideoId(), preview);
    }

    static SegmentDrawn drawn(String id, int index, int segments, int frames) {
        return SegmentDrawn.newBuilder()
                .setVideoId(id)
                .setIndex(index)
                .setSegments(segments)
                .setFrames(frames)
                .setSegment(new BlobRef(BUCKET, Keys.videoSegment(id, index)))
                .setSource(new BlobRef(BUCKET, Keys.original(id)))
                .setOptions(VideoOptions.newBuilder().build())
                .setStylizeMs(1)
                .setFilterMs(1)
                .setTrace(trace())
                .build();
    }

    static VideoCompleted completed(String id) {
        return VideoCompleted.newBuilder()
                .setVideoId(id)
                .setResult(new BlobRef(BUCKET, Keys.result(id, "mp4")))
                .setContentType(ClipAssembly.CONTENT_TYPE)
                .setWidth(320)
                .setHeight(240)
                .setFrames(10)
                .setSegments(1)
                .setDurationSeconds(0.4)
                .setHasAudio(false)
                .setStyle("animeganv2-hayao")
                .setOptions(VideoOptions.newBuilder().build())
                .setCompletedAtMs(1)
                .setTrace(trace())
                .build();
    }

    static VideoFailed failed(String id, String stage, String code) {
        return VideoFailed.newBuilder()
                .setVideoId(id)
                .setStage(stage)
                .setErrorCode(code)
                .setMessage(code)
                .setTrace(trace())
                .build();
    }
}
