package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.config.VideoTopics;
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
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoSubmitted;
import io.animegan.video.PipelineClips;
import io.animegan.video.stage.VideoStageApp;
import io.animegan.video.stage.VideoStageTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, acceptance 6: {@code kill -9} of the stylize process while it draws a segment of a
 * clip, and of the video stage once it has collected some of a clip's segments, each started
 * again with its state directory (so its transactional id fences the killed one's open
 * transaction). The clip completes once, with every frame once and in order, each segment drawn
 * once as far as a read_committed reader sees, and none failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class VideoFaultsIT {

    private static final String STYLE = "animeganv3-cute-tiny";
    private static final String ACCESS_KEY = "animegan";
    private static final String PREFIX = "vfault.";
    /** 12 s at 5 fps: three segments of the stages' default 4 s, 20 frames each. */
    private static final int FRAMES = 60;

    private static final int SEGMENTS = 3;
    private static final String STARTED = " stage started against ";

    private static final Duration CLIP_TIMEOUT = Duration.ofMinutes(3);
    private static final String ASSEMBLY_CHANGELOG =
            VideoStageApp.APPLICATION_ID + "-" + VideoStageTopology.STORE + "-changelog";

    @TempDir
    static Path dir;

    private final String secret = UUID.randomUUID().toString();
    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;
    private BlobStore store;
    private VideoTopics topics;
    private Path clip;
    private AnimeganProcess stylize;
    private AnimeganProcess video;
    private final Map<AnimeganProcess, Integer> launches = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        TestAssets.requireModel(STYLE + ".onnx");
        clip = PipelineClips.withSound(dir.resolve("clip.mp4"), 256, 192, 5, FRAMES);
        kafka = SharedBroker.kafka();
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, secret);
        store = new BlobStore(new StorageConfig(s3.endpoint(), ACCESS_KEY, secret, "animegan", "us-east-1"));
        store.ensureBucket();
        Topics all = Topics.withPrefix(PREFIX, SEGMENTS, (short) 1);
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), all);
        topics = all.videos();
        stylize = stage("stylize");
        video = stage("video");
        awaitStarted(stylize);
        awaitStarted(video);
    }

    @AfterAll
    void stop() throws Exception {
        for (AnimeganProcess stage : new AnimeganProcess[] {stylize, video}) {
            if (stage != null) {
                stage.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void stylizeKilledWhileDrawingASegment() throws Exception {
        String id = submit();
        // A segment stored and others not: the stylize process is inside that segment's transaction
        // (its SegmentDrawn not yet committed) or drawing the next segment.
        await(() -> storedSegments(id) >= 1, "a first segment of " + id + " in storage");
        stylize.kill();
        long killed = System.nanoTime();
        int stored = storedSegments(id);
        System.out.printf("stylize killed with %d of %d segments stored%n", stored, SEGMENTS);
        assertThat(stored).as("segments stored when stylize was killed").isLessThan(SEGMENTS);
        restart(stylize);
        assertCompletedOnce(id, killed);
    }

    @Test
    @Order(2)
    void videoStageKilledWithSomeSegmentsCollected() throws Exception {
        String id = submit();
        // The assembly store's committed note of the clip: segments collected, clip not assembled.
        await(
                () -> assemblyNotes(id).stream().anyMatch(v -> v.contains(":")),
                "the video stage holding a segment of " + id);
        video.kill();
        long killed = System.nanoTime();
        assertThat(committed(topics.completed().name(), id))
                .as("completed before the kill")
                .isEmpty();
        restart(video);
        assertCompletedOnce(id, killed);
    }

    private AnimeganProcess stage(String name) throws IOException {
        Map<String, String> env =
                AnimeganProcess.stageEnv(kafka.bootstrapServers(), s3.endpoint(), ACCESS_KEY, secret, PREFIX, SEGMENTS);
        AnimeganProcess stage = AnimeganProcess.stage(name, dir, env, TestAssets.modelsDir());
        launches.put(stage, 1);
        return stage;
    }

    private void restart(AnimeganProcess stage) throws Exception {
        stage.restart();
        launches.merge(stage, 1, Integer::sum);
        awaitStarted(stage);
    }

    /** Waits until the stage's latest launch has got through start-up (its log spans every launch). */
    private void awaitStarted(AnimeganProcess stage) throws Exception {
        int launched = launches.get(stage);
        try {
            Awaitility.await(stage.name() + " started")
                    .atMost(CLIP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!stage.isAlive()) {
                            throw new AssertionError(stage.name() + " exited at start-up\n" + stage.tail());
                        }
                        return count(stage, STARTED) >= launched;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(stage.name() + " did not start\n" + stage.tail(), e);
        }
    }

    private static int count(AnimeganProcess stage, String text) throws IOException {
        return stage.output().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    /** Stores the clip as ingest does and produces its VideoSubmitted. */
    private String submit() throws Exception {
        String id = UUID.randomUUID().toString();
        BlobRef source = store.put(Keys.original(id), clip, "video/mp4");
        VideoSubmitted submitted = VideoSubmitted.newBuilder()
                .setVideoId(id)
                .setName("clip.mp4")
                .setSource(source)
                .setSizeBytes(Files.size(clip))
                .setOptions(VideoOptions.newBuilder().setStyle(STYLE).build())
                .setTrace(new Trace(id, System.currentTimeMillis(), Map.of()))
                .build();
        TopicRecords.send(kafka.bootstrapServers(), topics.submitted(), id, submitted);
        return id;
    }

    private int storedSegments(String id) {
        return (int) IntStream.range(0, SEGMENTS)
                .filter(i -> store.stat(Keys.videoSegment(id, i)).isPresent())
                .count();
    }

    /**
     * One VideoCompleted and no VideoFailed; one SegmentDrawn per segment and one for the preview; the result holds every
     * input frame once, in order (each frame's index is its barcode).
     */
    private void assertCompletedOnce(String id, long killed) throws Exception {
        await(
                () -> !committed(topics.completed().name(), id).isEmpty()
                        || !committed(topics.failed().name(), id).isEmpty(),
                "the outcome of " + id);
        System.out.printf("clip %s done %.1f s after the kill%n", id, (System.nanoTime() - killed) / 1e9);
        assertThat(values(topics.failed(), id)).as("failures").isEmpty();
        List<VideoCompleted> completions = values(topics.completed(), id);
        assertThat(completions).as("completions").hasSize(1);
        List<SegmentDrawn> drawn = values(topics.segmentsDrawn(), id);
        assertThat(drawn)
                .filteredOn(d -> !d.getPreview())
                .extracting(SegmentDrawn::getIndex)
                .as("segments drawn")
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(drawn)
                .filteredOn(SegmentDrawn::getPreview)
                .as("previews drawn")
                .hasSize(1);
        VideoCompleted completed = completions.get(0);
        assertThat(completed.getSegments()).isEqualTo(SEGMENTS);
        assertThat(completed.getFrames()).isEqualTo(FRAMES);
        Path output = dir.resolve(id + ".mp4");
        store.get(completed.getResult(), output);
        assertThat(PipelineClips.barcodes(output))
                .as("every frame once, in order")
                .containsExactlyElementsOf(IntStream.range(0, FRAMES).boxed().toList());
    }

    private <V> List<V> values(Topic<V> topic, String id) {
        return TopicRecords.values(kafka.bootstrapServers(), topic, id);
    }

    /** The assembly store's committed values for the clip: {@code index:frames,...} while it collects. */
    private List<String> assemblyNotes(String id) {
        return committed(ASSEMBLY_CHANGELOG, id).stream()
                .filter(v -> v != null)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .toList();
    }

    /** Every committed value keyed {@code id} on {@code topic}, as a read_committed reader sees it. */
    private List<byte[]> committed(String topic, String id) {
        return TopicRecords.toEnd(kafka.bootstrapServers(), topic).stream()
                .filter(record -> id.equals(record.key()))
                .map(ConsumerRecord::value)
                .toList();
    }

    private void await(BooleanSupplier condition, String what) throws IOException {
        try {
            Awaitility.await(what)
                    .atMost(CLIP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (AnimeganProcess stage : List.of(stylize, video)) {
                            if (!stage.isAlive()) {
                                throw new AssertionError(stage.name() + " exited\n" + stage.tail());
                            }
                        }
                        return condition.getAsBoolean();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "\n" + stylize.tail() + "\n" + video.tail(), e);
        }
    }
}
