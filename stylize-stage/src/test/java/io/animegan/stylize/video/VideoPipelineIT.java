package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.testing.TopicRecords;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.Trace;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StylizeStageApp;
import io.animegan.video.PipelineClips;
import io.animegan.video.VideoInfo;
import io.animegan.video.VideoLimits;
import io.animegan.video.VideoProbe;
import io.animegan.video.VideoSettings;
import io.animegan.video.stage.VideoStageApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips through Kafka and S3: the video stage plans a clip into segment records, the stylize stage
 * draws them with a real model, the video stage assembles them with the original sound.
 */
class VideoPipelineIT {

    static final String STYLE = "animeganv3-cute-tiny";
    /**
     * Short segments and low limits (length, and pixels: the pattern clip's), so small clips have
     * several segments and a long or large one is cheap.
     */
    static final VideoSettings SETTINGS =
            new VideoSettings(new VideoLimits(6_000_000, 320L * 240, VideoSettings.MAX_FRAMES), 1280, 1.5, 8);

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedS3 s3;
    static PipelineConfig config;
    static BlobStore store;
    static final List<AutoCloseable> started = new ArrayList<>();
    static Path pattern;
    static Path valid;
    static Path longer;
    static Map<String, Path> bad;

    @BeforeAll
    static void start() throws Exception {
        TestAssets.requireModel(STYLE + ".onnx");
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        clips();
        kafka = remember(EmbeddedKafka.start(dir.resolve("kafka"), 0));
        String secret = UUID.randomUUID().toString();
        s3 = remember(EmbeddedS3.start(dir.resolve("s3"), 0, "animegan", secret));
        config = new PipelineConfig(
                kafka.bootstrapServers(),
                Topics.withPrefix("videoit.images.", 3, (short) 1),
                new StorageConfig(s3.endpoint(), "animegan", secret, "animegan", "us-east-1"),
                TestAssets.modelsDir(),
                PipelineConfig.DEFAULT_GENERATOR,
                0,
                dir.resolve("streams"));
        store = new BlobStore(config.storage());
        store.ensureBucket();
        TopicAdmin.ensureTopics(config);
        StageRunner stylize = remember(StylizeStageApp.create(config, SETTINGS).start());
        StageRunner video = remember(VideoStageApp.create(config, SETTINGS).start());
        assertThat(stylize.awaitRunning(Duration.ofSeconds(90)))
                .as("stylize running")
                .isTrue();
        assertThat(video.awaitRunning(Duration.ofSeconds(90)))
                .as("video running")
                .isTrue();
    }

    /** Written before the stages start: the test's own encoder is not one the stages' FFmpeg calls lock against. */
    static void clips() throws Exception {
        pattern = PipelineClips.withSound(dir.resolve("pattern.mp4"), 320, 240, 100);
        valid = PipelineClips.withSound(dir.resolve("valid.mp4"), 160, 120, 30);
        // 5.8 s at 10 fps: its preview is its first 5 s, 50 frames.
        longer = PipelineClips.withSound(dir.resolve("longer.mp4"), 320, 240, 10, 58);
        bad = Map.of(
                "CORRUPT_VIDEO", PipelineClips.truncated(valid, dir.resolve("truncated.mp4")),
                "NO_VIDEO_STREAM", PipelineClips.audioOnly(dir.resolve("audio.m4a")),
                "NO_FRAMES", PipelineClips.zeroFrames(dir.resolve("zero.mp4")),
                "TOO_LONG", PipelineClips.withSound(dir.resolve("long.mp4"), 64, 48, 200),
                "TOO_LARGE", PipelineClips.withSound(dir.resolve("large.mp4"), 352, 288, 5),
                "NOT_A_VIDEO", Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(40)));
    }

    @AfterAll
    static void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }

    private static <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    @Test
    void aClipDrawnInSegmentsAcrossPartitionsKeepsEveryFrameInOrderAndItsSound() throws Exception {
        Path input = pattern;
        String id = submit(input);

        VideoCompleted completed = (VideoCompleted) awaitOutcome(id);
        Path output = dir.resolve("result.mp4");
        store.get(completed.getResult(), output);

        int frames = PipelineClips.frameCount(input);
        assertThat(completed.getSegments()).isGreaterThanOrEqualTo(3);
        assertThat(completed.getFrames()).isEqualTo(frames);
        assertThat(completed.getResult().getKey()).isEqualTo(Keys.result(id, "mp4"));
        assertThat(completed.getStyle()).isEqualTo(STYLE);
        assertThat(PipelineClips.frameCount(output)).isEqualTo(frames);
        assertThat(PipelineClips.barcodes(output))
                .as("every frame once, in order, across segment borders")
                .containsExactlyElementsOf(IntStream.range(0, frames).boxed().toList());
        assertThat(PipelineClips.audioPackets(input)).isPositive();
        assertThat(PipelineClips.sameAudio(input, output))
                .as("audio packets copied as they are")
                .isTrue();

        List<VideoPlanned> plans = readAll(config.topics().videos().planned(), id);
        assertThat(plans)
                .singleElement()
                .satisfies(p -> assertThat(p.getSegments()).isEqualTo(completed.getSegments()));
        assertThat(readAll(config.topics().videos().completed(), id))
                .as("one completion")
                .hasSize(1);
    }

    @Test
    void aClipsPreviewIsItsFirstSecondsAtTheOutputSizeDrawnApartAndNeverAssembled() throws Exception {
        String id = submit(longer);

        VideoCompleted completed = (VideoCompleted) awaitOutcome(id);
        List<SegmentDrawn> previews = readAll(config.topics().videos().segmentsDrawn(), id).stream()
                .filter(SegmentDrawn::getPreview)
                .toList();
        assertThat(previews).as("one preview, labelled").singleElement().satisfies(p -> {
            assertThat(p.getSegment().getKey()).isEqualTo(Keys.videoPreview(id));
            assertThat(p.getFrames()).isEqualTo(50);
        });
        assertThat(readAll(config.topics().videos().previews(), id))
                .singleElement()
                .satisfies(r -> assertThat(r.getPreview()).isTrue());
        Path preview = dir.resolve("preview.mp4");
        store.get(previews.get(0).getSegment(), preview);
        VideoInfo previewInfo = new VideoProbe(SETTINGS.limits()).probe(preview);
        assertThat(previewInfo.width()).isEqualTo(completed.getWidth());
        assertThat(previewInfo.height()).isEqualTo(completed.getHeight());
        assertThat(PipelineClips.barcodes(preview))
                .as("the clip's first 5 s, in order")
                .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());

        Path output = dir.resolve("longer-result.mp4");
        store.get(completed.getResult(), output);
        assertThat(completed.getFrames()).isEqualTo(58);
        assertThat(PipelineClips.barcodes(output))
                .as("the result is its segments only, every frame once")
                .containsExactlyElementsOf(IntStream.range(0, 58).boxed().toList());
    }

    @Test
    void badClipsFailWithTheirCodeAndAValidClipAfterEachCompletes() throws Exception {
        List<String> after = new ArrayList<>();
        for (Map.Entry<String, Path> clip : bad.entrySet()) {
            String id = submit(clip.getValue());
            SpecificRecord outcome = awaitOutcome(id);
            assertThat(outcome).as(clip.getKey()).isInstanceOf(VideoFailed.class);
            VideoFailed failed = (VideoFailed) outcome;
            assertThat(failed.getErrorCode()).as(clip.getKey()).isEqualTo(clip.getKey());
            assertThat(failed.getStage()).isEqualTo("video-plan");
            after.add(submit(valid));
        }
        for (String id : after) {
            assertThat(awaitOutcome(id)).isInstanceOf(VideoCompleted.class);
        }
    }

    @Test
    void aClipWithFacesKeepsEveryFrame() throws Exception {
        Path portrait = PipelineClips.pan(dir.resolve("portrait.mp4"), "portrait-headphones.jpg", 120, 160, 25);
        String id = submit(
                portrait,
                VideoOptions.newBuilder().setStyle(STYLE).setFaces(true).build());

        SpecificRecord outcome = awaitOutcome(id);
        assertThat(outcome).isInstanceOf(VideoCompleted.class);
        Path output = dir.resolve("portrait-result.mp4");
        store.get(((VideoCompleted) outcome).getResult(), output);
        assertThat(PipelineClips.frameCount(output)).isEqualTo(PipelineClips.frameCount(portrait));
    }

    private static String submit(Path clip) throws Exception {
        return submit(clip, VideoOptions.newBuilder().setStyle(STYLE).build());
    }

    /** Stores the clip as ingest does and produces its VideoSubmitted. */
    private static String submit(Path clip, VideoOptions options) throws Exception {
        String id = UUID.randomUUID().toString();
        BlobRef source = store.put(Keys.original(id), clip, "application/octet-stream");
        VideoSubmitted submitted = VideoSubmitted.newBuilder()
                .setVideoId(id)
                .setName(clip.getFileName().toString())
                .setSource(source)
                .setSizeBytes(Files.size(clip))
                .setOptions(options)
                .setTrace(new Trace(id, System.currentTimeMillis(), Map.of()))
                .build();
        VideoTopics topics = config.topics().videos();
        TopicRecords.send(kafka.bootstrapServers(), topics.submitted(), id, submitted);
        return id;
    }

    /** The clip's VideoCompleted or VideoFailed, as a read_committed reader sees it. */
    private static SpecificRecord awaitOutcome(String id) {
        VideoTopics topics = config.topics().videos();
        List<SpecificRecord> outcomes = new ArrayList<>();
        Awaitility.await("outcome of " + id)
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    outcomes.clear();
                    outcomes.addAll(readAll(topics.completed(), id));
                    outcomes.addAll(readAll(topics.failed(), id));
                    return !outcomes.isEmpty();
                });
        return outcomes.get(0);
    }

    /** Every committed value of {@code topic} keyed {@code id}. */
    private static <V> List<V> readAll(Topic<V> topic, String id) {
        return TopicRecords.values(kafka.bootstrapServers(), topic, id);
    }
}
