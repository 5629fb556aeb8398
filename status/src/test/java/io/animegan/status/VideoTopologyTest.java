package io.animegan.status;

import static io.animegan.status.TestVideoEvents.SUBMITTED_AT;
import static io.animegan.status.TestVideoEvents.completed;
import static io.animegan.status.TestVideoEvents.drawn;
import static io.animegan.status.TestVideoEvents.failed;
import static io.animegan.status.TestVideoEvents.planned;
import static io.animegan.status.TestVideoEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.storage.StorageException;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import io.animegan.events.WebhookDelivery;
import io.animegan.status.ImageStatus.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The videos table of the status app on Kafka Streams' test driver, with a wall clock the test moves.
 * Tests that leave the wall clock alone share one driver, each with a clip and a tenant of its own and
 * reading only the records it causes; a test that moves the wall clock has a driver of its own.
 */
class VideoTopologyTest extends SharedDriverTest {

    static final Duration RETENTION = Duration.ofHours(1);
    static final Duration CLEANUP = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    final Topics topics = Topics.withPrefix("t.images.", 1, (short) 1);
    final List<String> deleted = new CopyOnWriteArrayList<>();
    volatile boolean storageDown;
    KeyValueStore<String, ValueAndTimestamp<VideoChange>> videos;
    /** This test's clip and the tenant that submits it. */
    String v;

    String tenant;

    @BeforeEach
    void startClean(TestInfo test) {
        v = test.getTestMethod().orElseThrow().getName();
        tenant = "t-" + v;
        deleted.clear();
        storageDown = false;
    }

    @Override
    protected void use(TopologyTestDriver driver) {
        videos = driver.getTimestampedKeyValueStore(StatusTopology.VIDEOS);
    }

    @Override
    protected TopologyTestDriver open() throws IOException {
        StatusSettings settings = StatusSettings.withRetention(RETENTION).withCleanupInterval(CLEANUP);
        PrefixDeleter blobs = prefix -> {
            if (storageDown) {
                throw new StorageException("storage: connection refused", null);
            }
            deleted.add(prefix);
        };
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, StatusTopology.APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory(dir, "state").toString());
        return new TopologyTestDriver(
                StatusTopology.build(topics, TestEvents.BUCKET, settings, blobs, Runnable::run),
                props,
                Instant.ofEpochMilli(SUBMITTED_AT));
    }

    private void pipe(Object event, long timestampMs) {
        VideoTopics t = topics.videos();
        if (event instanceof VideoSubmitted e) {
            send(t.submitted(), e, timestampMs);
        } else if (event instanceof VideoPlanned e) {
            send(t.planned(), e, timestampMs);
        } else if (event instanceof SegmentDrawn e) {
            send(t.segmentsDrawn(), e, timestampMs);
        } else if (event instanceof VideoCompleted e) {
            send(t.completed(), e, timestampMs);
        } else if (event instanceof VideoFailed e) {
            send(t.failed(), e, timestampMs);
        } else {
            throw new IllegalArgumentException(String.valueOf(event));
        }
    }

    private <V> void send(Topic<V> topic, V event, long timestampMs) {
        driver.createInputTopic(
                        topic.name(),
                        Serdes.String().serializer(),
                        topic.valueSerde().serializer())
                .pipeInput(VideoFold.videoId(event), event, timestampMs);
    }

    private VideoStatus status(String id) {
        VideoChange stored = ValueAndTimestamp.getValueOrNull(videos.get(id));
        return stored == null ? null : stored.after();
    }

    private Long storedBytes(String tenant) {
        KeyValueStore<String, ValueAndTimestamp<Long>> totals =
                driver.getTimestampedKeyValueStore(StatusTopology.TENANT_BYTES);
        return ValueAndTimestamp.getValueOrNull(totals.get(tenant));
    }

    @Test
    void aClipMovesFromQueuedThroughItsSegmentsToDone() {
        pipe(submitted(v, "clip.mp4", tenant, 5_000), SUBMITTED_AT);
        VideoStatus queued = status(v);
        assertThat(queued.phase()).isEqualTo(Phase.QUEUED);
        assertThat(queued.name()).isEqualTo("clip.mp4");
        assertThat(queued.style()).isEqualTo("animeganv3-hayao");
        assertThat(queued.owner()).isEqualTo(tenant);
        assertThat(VideoView.of(queued, SUBMITTED_AT).frames()).isNull();

        pipe(planned(v, 300, 3), SUBMITTED_AT + 1_000);
        assertThat(status(v).phase()).isEqualTo(Phase.PROCESSING);
        assertThat(status(v).frames()).isEqualTo(300);
        assertThat(status(v).preview()).isNull();
        assertThat(status(v).etaSeconds(SUBMITTED_AT + 1_000))
                .as("nothing drawn yet")
                .isNull();

        pipe(drawn(v, 1, 3, 100), SUBMITTED_AT + 11_000);
        assertThat(status(v).preview())
                .as("the first segment drawn is the preview while the clip's own is not drawn")
                .isEqualTo(new VideoStatus.Preview("work/" + v + "/segments/00001.mp4", false));
        pipe(drawn(v, 0, 3, 100), SUBMITTED_AT + 21_000);
        VideoStatus twoDrawn = status(v);
        assertThat(twoDrawn.framesDone()).isEqualTo(200);
        assertThat(twoDrawn.segmentsDone()).isEqualTo(2);
        assertThat(twoDrawn.preview().key())
                .as("the preview stays the first segment drawn")
                .isEqualTo("work/" + v + "/segments/00001.mp4");
        // 200 frames in 20 s: the last 100 take 10 s more, 4 s of which have passed.
        assertThat(twoDrawn.etaSeconds(SUBMITTED_AT + 25_000)).isEqualTo(6.0);
        VideoView view = VideoView.of(twoDrawn, SUBMITTED_AT + 21_000);
        assertThat(view.previewUrl()).isEqualTo("/api/videos/" + v + "/preview");
        assertThat(view.previewDraft()).isFalse();
        assertThat(view.resultUrl()).isNull();

        SegmentDrawn preview = drawn(v, 0, 3, 150, TestEvents.ref("work/" + v + "/segments/preview.mp4"));
        preview.setPreview(true);
        pipe(preview, SUBMITTED_AT + 22_000);
        VideoStatus previewed = status(v);
        assertThat(previewed.preview())
                .as("the clip's own preview, once drawn")
                .isEqualTo(new VideoStatus.Preview("work/" + v + "/segments/preview.mp4", true));
        assertThat(previewed.framesDone()).as("a preview is not a segment").isEqualTo(200);
        VideoView previewView = VideoView.of(previewed, SUBMITTED_AT + 22_000);
        assertThat(previewView.previewDraft()).isTrue();

        pipe(completed(v, TestEvents.ref("results/" + v + "/anime.mp4"), 300, 3, 4_000), SUBMITTED_AT + 31_000);
        VideoStatus done = status(v);
        assertThat(done.phase()).isEqualTo(Phase.DONE);
        assertThat(done.framesDone()).isEqualTo(300);
        assertThat(done.segmentsDone()).isEqualTo(3);
        assertThat(done.etaSeconds(SUBMITTED_AT + 31_000)).isNull();
        assertThat(done.completedAtMs()).isEqualTo(SUBMITTED_AT + 31_000);
        VideoView doneView = VideoView.of(done, SUBMITTED_AT + 31_000);
        assertThat(doneView.status()).isEqualTo("done");
        assertThat(doneView.resultUrl()).isEqualTo("/api/videos/" + v + "/result");
        assertThat(doneView.previewUrl())
                .as("the segments are cleaned up once done")
                .isNull();
        assertThat(doneView.hasAudio()).isTrue();
        assertThat(doneView.submittedAt())
                .isEqualTo(Instant.ofEpochMilli(SUBMITTED_AT).toString());
    }

    @Test
    void aSegmentDrawnAgainCountsOnce() {
        pipe(submitted(v, "clip.mp4", tenant, 5_000), SUBMITTED_AT);
        pipe(planned(v, 200, 2), SUBMITTED_AT);
        pipe(drawn(v, 0, 2, 100), SUBMITTED_AT + 1);
        VideoStatus once = status(v);
        pipe(drawn(v, 0, 2, 100), SUBMITTED_AT + 2);
        assertThat(status(v)).isEqualTo(once);
        assertThat(status(v).framesDone()).isEqualTo(100);
        assertThat(status(v).segmentsDone()).isEqualTo(1);
    }

    @Test
    void eventsFoldInAnyOrderAndTheFirstFinalOneWins() {
        // Completion read before everything else: nothing later moves it back.
        pipe(completed(v, TestEvents.ref("results/" + v + "/anime.mp4"), 60, 1, 900), SUBMITTED_AT + 5);
        assertThat(status(v).phase()).isEqualTo(Phase.DONE);
        assertThat(status(v).owner())
                .as("nobody can be told of it before its submission")
                .isNull();
        pipe(drawn(v, 0, 1, 60), SUBMITTED_AT + 3);
        pipe(planned(v, 60, 1), SUBMITTED_AT + 2);
        pipe(failed(v, "video", "CORRUPT_VIDEO", "late failure"), SUBMITTED_AT + 6);
        pipe(submitted(v, "clip.webm", tenant, 1_000), SUBMITTED_AT);
        VideoStatus s = status(v);
        assertThat(s.phase()).isEqualTo(Phase.DONE);
        assertThat(s.error()).isNull();
        assertThat(s.name()).isEqualTo("clip.webm");
        assertThat(s.owner()).isEqualTo(tenant);
        assertThat(s.framesDone()).isEqualTo(60);
        assertThat(storedBytes(tenant))
                .as("original and result, counted once the tenant is known")
                .isEqualTo(1_900L);
    }

    @Test
    void aFailureNamesItsStageAndCode() {
        pipe(submitted(v, "song.m4a", tenant, 1_000), SUBMITTED_AT);
        pipe(failed(v, "video", "NO_VIDEO_STREAM", "the file holds audio only"), SUBMITTED_AT + 10);
        pipe(planned(v, 60, 1), SUBMITTED_AT + 20);
        VideoStatus s = status(v);
        assertThat(s.phase()).isEqualTo(Phase.FAILED);
        assertThat(s.error()).isEqualTo(new VideoStatus.Error("video", "NO_VIDEO_STREAM", "the file holds audio only"));
        assertThat(s.frames()).as("nothing is folded after the failure").isNull();
        VideoView view = VideoView.of(s, SUBMITTED_AT + 20);
        assertThat(view.status()).isEqualTo("failed");
        assertThat(view.completedAt())
                .isEqualTo(Instant.ofEpochMilli(SUBMITTED_AT + 10).toString());
    }

    @Test
    void aClipBelongsToTheTenantThatSubmittedIt() {
        pipe(submitted(v, "clip.mp4", tenant, 1_000), SUBMITTED_AT);
        VideoStatus s = status(v);
        assertThat(s.belongsTo(tenant)).isTrue();
        assertThat(s.belongsTo("t-b")).isFalse();
        assertThat(s.belongsTo("anonymous")).isFalse();
        // Another tenant's id reading as an unknown one (a storage call each) is checked through ingest
        // (VideoRoutesIT).
        Optional<VideoStatus> stored = Optional.of(s);
        assertThat(new TenantStatuses(null).findVideo(v, tenant, id -> stored)).contains(s);
    }

    @Test
    void retentionDeletesAClipsObjectsThenItsStatusAndItsBytes() throws IOException {
        useFreshDriver();
        pipe(submitted(v, "clip.mp4", tenant, 1_000), SUBMITTED_AT);
        pipe(completed(v, TestEvents.ref("results/" + v + "/anime.mp4"), 60, 1, 500), SUBMITTED_AT);
        assertThat(storedBytes(tenant)).isEqualTo(1_500L);

        driver.advanceWallClockTime(CLEANUP);
        assertThat(deleted).as("a finished clip's drawn segments").containsExactly("work/" + v + "/");

        deleted.clear();
        storageDown = true;
        driver.advanceWallClockTime(RETENTION.plusMinutes(1));
        assertThat(status(v)).as("kept while its objects cannot be deleted").isNotNull();
        assertThat(storedBytes(tenant)).isEqualTo(1_500L);

        storageDown = false;
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(deleted).containsExactlyInAnyOrder("inputs/" + v + "/", "work/" + v + "/", "results/" + v + "/");
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(status(v)).isNull();
        assertThat(storedBytes(tenant)).isZero();
    }

    private void deliver(String id, String type, String state, int attempts, Integer lastStatus, long atMs) {
        send(
                topics.webhookDeliveries(),
                new WebhookDelivery(
                        id, type, "msg_" + type.replace('.', '_') + "_" + id, state, attempts, lastStatus, atMs),
                atMs);
    }

    @Test
    void aClipsWebhookDeliveriesFoldIntoItsStatus() {
        pipe(submitted(v, "clip.mp4", tenant, 1_000), SUBMITTED_AT);
        pipe(completed(v, TestEvents.ref("results/" + v + "/anime.mp4"), 60, 1, 500), SUBMITTED_AT + 10);
        assertThat(VideoView.of(status(v), SUBMITTED_AT + 10).callback())
                .as("no attempt yet")
                .isNull();

        deliver(v, "video.completed", "pending", 1, 503, SUBMITTED_AT + 20);
        assertThat(status(v).callback()).isEqualTo(new VideoStatus.Callback("pending", 1, 503));
        deliver(v, "video.completed", "delivered", 2, 204, SUBMITTED_AT + 30);
        VideoStatus delivered = status(v);
        assertThat(delivered.callback()).isEqualTo(new VideoStatus.Callback("delivered", 2, 204));
        assertThat(delivered.phase()).isEqualTo(Phase.DONE);
        assertThat(VideoView.of(delivered, SUBMITTED_AT + 30).callback())
                .isEqualTo(new VideoStatus.Callback("delivered", 2, 204));

        // A stage restarted before its commit repeats attempts: nothing older moves it back.
        deliver(v, "video.completed", "pending", 2, null, SUBMITTED_AT + 40);
        deliver(v, "video.completed", "pending", 1, 503, SUBMITTED_AT + 40);
        assertThat(status(v)).isEqualTo(delivered);
        assertThat(VideoStatus.read(delivered.write()).callback())
                .as("kept in the stored form")
                .isEqualTo(delivered.callback());
    }

    @Test
    void aFailedClipsWebhookThatFailsShowsItsLastStatus() {
        pipe(submitted(v, "song.m4a", tenant, 1_000), SUBMITTED_AT);
        pipe(failed(v, "video", "NO_VIDEO_STREAM", "the file holds audio only"), SUBMITTED_AT + 10);
        deliver(v, "video.failed", "failed", 1, 410, SUBMITTED_AT + 20);
        deliver(v, "video.failed", "failed", 1, 410, SUBMITTED_AT + 20);
        assertThat(status(v).callback()).isEqualTo(new VideoStatus.Callback("failed", 1, 410));
        assertThat(status(v).phase()).isEqualTo(Phase.FAILED);
    }

    @Test
    void picturesAndJobsWebhookDeliveriesNeverTouchAClip() {
        KeyValueStore<String, ValueAndTimestamp<StatusChange>> images =
                driver.getTimestampedKeyValueStore(StatusTopology.STATUSES);
        pipe(submitted(v, "clip.mp4", tenant, 1_000), SUBMITTED_AT);
        VideoStatus submitted = status(v);

        deliver("h", "image.completed", "delivered", 1, 200, SUBMITTED_AT + 10);
        assertThat(status("h")).as("no clip status for a picture's webhook").isNull();
        assertThat(ValueAndTimestamp.getValueOrNull(images.get("h")).after().callback())
                .isEqualTo("delivered");
        // Typed by what it is about, whatever its key.
        deliver(v, "image.completed", "delivered", 1, 200, SUBMITTED_AT + 20);
        assertThat(status(v)).isEqualTo(submitted);

        deliver("job-9", "job.completed", "delivered", 1, 200, SUBMITTED_AT + 30);
        assertThat(status("job-9")).as("no clip status for a job's webhook").isNull();
        assertThat(images.get("job-9")).as("nor a picture's").isNull();
    }

    @Test
    void theChangelogCarriesTheAvroForm() {
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(
                StatusTopology.videoChangelog(StatusTopology.APPLICATION_ID),
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        pipe(submitted(v, "clip.mp4", tenant, 1_000), SUBMITTED_AT);
        pipe(submitted(v, "clip.mp4", tenant, 1_000), SUBMITTED_AT);
        pipe(drawn(v, 0, 2, 30), SUBMITTED_AT + 1);
        Map<String, byte[]> last = changelog.readKeyValuesToMap();
        assertThat(VideoStatus.read(last.get(v)).framesDone()).isEqualTo(30);
        assertThat(changelog.isEmpty()).isTrue();
    }
}
