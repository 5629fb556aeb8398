package io.animegan.status;

import static io.animegan.status.TestEvents.SUBMITTED_AT;
import static io.animegan.status.TestEvents.completed;
import static io.animegan.status.TestEvents.facesDetected;
import static io.animegan.status.TestEvents.failed;
import static io.animegan.status.TestEvents.ref;
import static io.animegan.status.TestEvents.stylized;
import static io.animegan.status.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.StorageException;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.ImageStatus.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status app's topology on Kafka Streams' test driver, with a wall clock the test moves. Tests
 * that leave the wall clock alone and look at their own pictures only share one driver, reading only
 * the records they cause; a test that moves the wall clock or looks at a whole store has a driver of
 * its own.
 */
class StatusTopologyTest extends SharedDriverTest {

    static final Duration RETENTION = Duration.ofHours(1);
    static final Duration CLEANUP = Duration.ofSeconds(5);
    static final Instant START = Instant.ofEpochMilli(SUBMITTED_AT);

    @TempDir
    static Path dir;

    final Topics topics = Topics.withPrefix("t.", 1, (short) 1);
    /** Prefixes the processors asked storage to delete; {@link #storageDown} makes storage refuse. */
    final List<String> deleted = new CopyOnWriteArrayList<>();

    volatile boolean storageDown;
    KeyValueStore<String, ValueAndTimestamp<StatusChange>> statuses;

    @BeforeEach
    void startClean() {
        deleted.clear();
        storageDown = false;
    }

    @Override
    protected void use(TopologyTestDriver driver) {
        statuses = driver.getTimestampedKeyValueStore(StatusTopology.STATUSES);
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
        // Deletions run on the punctuating thread here, so each round finishes what it starts.
        return new TopologyTestDriver(
                StatusTopology.build(topics, TestEvents.BUCKET, settings, blobs, Runnable::run), props, START);
    }

    private void pipe(Object event, long timestampMs) {
        for (Topic<?> topic : topics.events()) {
            if (matches(topic, event)) {
                send(topic, event, timestampMs);
                return;
            }
        }
        throw new IllegalArgumentException(String.valueOf(event));
    }

    private boolean matches(Topic<?> topic, Object event) {
        return topic == topics.submitted() && event instanceof io.animegan.events.ImageSubmitted
                || topic == topics.facesDetected() && event instanceof io.animegan.events.FacesDetected
                || topic == topics.stylized() && event instanceof io.animegan.events.ImageStylized
                || topic == topics.completed() && event instanceof io.animegan.events.ImageCompleted
                || topic == topics.failed() && event instanceof io.animegan.events.ImageFailed;
    }

    @SuppressWarnings("unchecked")
    private <V> void send(Topic<V> topic, Object event, long timestampMs) {
        TestInputTopic<String, V> input = driver.createInputTopic(
                topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
        input.pipeInput(StatusFold.imageId(event), (V) event, timestampMs);
    }

    /** The image's status as the statuses table holds it; null when it holds none. */
    private ImageStatus status(String id) {
        StatusChange stored = ValueAndTimestamp.getValueOrNull(statuses.get(id));
        return stored == null ? null : stored.after();
    }

    private List<KeyValue<String, String>> index() {
        KeyValueStore<String, String> byUpdate = driver.getKeyValueStore(StatusTopology.BY_UPDATE);
        List<KeyValue<String, String>> all = new ArrayList<>();
        try (KeyValueIterator<String, String> it = byUpdate.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private long pendingCleanups() {
        return count(driver.getKeyValueStore(StatusTopology.WORK_CLEANUP));
    }

    private static long count(KeyValueStore<String, ?> store) {
        try (KeyValueIterator<String, ?> it = store.all()) {
            long n = 0;
            for (; it.hasNext(); it.next()) {
                n++;
            }
            return n;
        }
    }

    @Test
    void aPicturesWebhookDeliveriesFoldIntoItsStatusAndAJobsStayOut() {
        pipe(submitted("h", "cat.jpg"), SUBMITTED_AT);
        pipe(completed("h", ref("results/h/anime.png"), "image/png", 0, 64, 48), SUBMITTED_AT + 100);
        send(
                topics.webhookDeliveries(),
                new io.animegan.events.WebhookDelivery(
                        "h", "image.completed", "msg_image_completed_h", "pending", 1, 503, SUBMITTED_AT + 200),
                SUBMITTED_AT + 200);
        assertThat(status("h").callback()).isEqualTo("pending");
        assertThat(status("h").callbackLastStatus()).isEqualTo(503);
        send(
                topics.webhookDeliveries(),
                new io.animegan.events.WebhookDelivery(
                        "h", "image.completed", "msg_image_completed_h", "delivered", 2, 204, SUBMITTED_AT + 300),
                SUBMITTED_AT + 300);
        assertThat(status("h").callback()).isEqualTo("delivered");
        assertThat(status("h").callbackAttempts()).isEqualTo(2);
        assertThat(status("h").phase()).isEqualTo(Phase.DONE);

        send(
                topics.webhookDeliveries(),
                new io.animegan.events.WebhookDelivery(
                        "job-9", "job.completed", "msg_job_completed_job-9", "delivered", 1, 200, SUBMITTED_AT + 400),
                SUBMITTED_AT + 400);
        assertThat(status("job-9")).as("no image status for a job's webhook").isNull();
    }

    @Test
    void foldsTheFiveTopicsIntoOneStatusPerImage() throws IOException {
        useFreshDriver();
        pipe(submitted("a", "cat.jpg"), SUBMITTED_AT);
        assertThat(status("a").stage()).isEqualTo(Stage.QUEUED);
        assertThat(status("a").updatedAtMs()).isEqualTo(SUBMITTED_AT);

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        pipe(facesDetected("a", 2, 4000, 3000), SUBMITTED_AT + 100);
        assertThat(status("a").stage()).isEqualTo(Stage.FACES);
        pipe(stylized("a", 2, 1920, 1440), SUBMITTED_AT + 200);
        assertThat(status("a").stage()).isEqualTo(Stage.STYLIZED);
        assertThat(status("a").phase()).isEqualTo(Phase.PROCESSING);
        pipe(completed("a", ref("results/a/anime.png"), "image/png", 2, 1920, 1440), SUBMITTED_AT + 9_000);

        ImageStatus done = status("a");
        assertThat(done.stage()).isEqualTo(Stage.DONE);
        assertThat(done.name()).isEqualTo("cat.jpg");
        assertThat(done.result()).isEqualTo(ref("results/a/anime.png"));
        assertThat(done.totalMs()).isEqualTo(9_000L);
        assertThat(done.updatedAtMs()).isEqualTo(SUBMITTED_AT + 1_000);

        // Out of order and late: never backwards, and a change that adds nothing is not a change.
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        pipe(facesDetected("a", 5, 10, 10), SUBMITTED_AT);
        pipe(failed("a", "blend", "INTERNAL_ERROR", "late"), SUBMITTED_AT);
        assertThat(status("a")).isEqualTo(done);

        pipe(failed("b", "face", "CORRUPT_IMAGE", "truncated"), SUBMITTED_AT);
        pipe(submitted("b", "broken.jpg"), SUBMITTED_AT);
        assertThat(status("b").stage()).isEqualTo(Stage.FAILED);
        assertThat(status("b").name()).isEqualTo("broken.jpg");
        assertThat(count(statuses)).isEqualTo(2);
    }

    @Test
    void theRetentionIndexHoldsOneEntryPerImageAtItsLastUpdate() throws IOException {
        useFreshDriver();
        pipe(submitted("a", "a.jpg"), SUBMITTED_AT);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        pipe(facesDetected("a", 1, 10, 10), SUBMITTED_AT);
        pipe(submitted("b", "b.jpg"), SUBMITTED_AT);

        assertThat(index())
                .containsExactly(
                        KeyValue.pair(RetentionProcessor.indexKey(SUBMITTED_AT + 10_000, "a"), "a"),
                        KeyValue.pair(RetentionProcessor.indexKey(SUBMITTED_AT + 10_000, "b"), "b"));
    }

    @Test
    void pastTheRetentionAStatusIsDeletedWithItsBlobs() throws IOException {
        useFreshDriver();
        pipe(submitted("old", "old.jpg"), SUBMITTED_AT);
        pipe(completed("old", ref("results/old/anime.png"), "image/png", 0, 10, 10), SUBMITTED_AT);
        driver.advanceWallClockTime(RETENTION.minusMinutes(10));
        pipe(submitted("young", "young.jpg"), SUBMITTED_AT);

        storageDown = true;
        driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertThat(status("old")).as("kept while its blobs cannot be deleted").isNotNull();

        storageDown = false;
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(status("old")).isNull();
        assertThat(deleted).contains("inputs/old/", "work/old/", "analyses/old/", "results/old/");
        assertThat(status("young")).isNotNull();
        assertThat(deleted).noneMatch(p -> p.contains("young"));
        assertThat(index()).extracting(kv -> kv.value).containsExactly("young");

        driver.advanceWallClockTime(RETENTION);
        assertThat(status("young")).isNull();
        assertThat(index()).isEmpty();
    }

    @Test
    void intermediateBlobsAreDeletedOnceDoneOrFailedAndRetriedAfterAnOutage() throws IOException {
        useFreshDriver();
        pipe(submitted("ok", "ok.jpg"), SUBMITTED_AT);
        pipe(stylized("ok", 1, 10, 10), SUBMITTED_AT);
        pipe(submitted("bad", "bad.jpg"), SUBMITTED_AT);
        driver.advanceWallClockTime(CLEANUP);
        assertThat(deleted).as("nothing is finished yet").isEmpty();

        pipe(completed("ok", ref("results/ok/anime.png"), "image/png", 1, 10, 10), SUBMITTED_AT);
        pipe(failed("bad", "face", "CORRUPT_IMAGE", "truncated"), SUBMITTED_AT);
        storageDown = true;
        driver.advanceWallClockTime(CLEANUP);
        assertThat(deleted).isEmpty();
        assertThat(pendingCleanups()).isEqualTo(2);

        storageDown = false;
        driver.advanceWallClockTime(CLEANUP);
        assertThat(deleted)
                .as("a face group's analysis stays for the group's other styles")
                .containsExactlyInAnyOrder("work/ok/", "work/bad/");
        assertThat(pendingCleanups()).isZero();
        assertThat(status("ok").phase()).isEqualTo(Phase.DONE);
    }

    private Long storedBytes(String tenant) {
        KeyValueStore<String, ValueAndTimestamp<Long>> totals =
                driver.getTimestampedKeyValueStore(StatusTopology.TENANT_BYTES);
        return ValueAndTimestamp.getValueOrNull(totals.get(tenant));
    }

    @Test
    void storedBytesPerTenantAreTheSubmissionsMinusWhatRetentionDeleted() throws IOException {
        useFreshDriver();
        pipe(TestEvents.submitted("a1", "a1.jpg", "t-a", 1_000), SUBMITTED_AT);
        pipe(TestEvents.submitted("b1", "b1.jpg", "t-b", 700), SUBMITTED_AT);
        // Every later event of a picture, and its submission read again, count nothing more.
        pipe(TestEvents.submitted("a1", "a1.jpg", "t-a", 1_000), SUBMITTED_AT);
        pipe(facesDetected("a1", 1, 10, 10), SUBMITTED_AT);
        pipe(completed("a1", ref("results/a1/anime.png"), "image/png", 1, 10, 10), SUBMITTED_AT);
        assertThat(storedBytes("t-a")).isEqualTo(1_000L);
        assertThat(storedBytes("t-b")).isEqualTo(700L);

        driver.advanceWallClockTime(RETENTION.minusMinutes(10));
        pipe(TestEvents.submitted("a2", "a2.jpg", "t-a", 300), SUBMITTED_AT);
        assertThat(storedBytes("t-a")).isEqualTo(1_300L);

        // a1 and b1 are past the retention: their bytes are subtracted once their blobs are gone.
        storageDown = true;
        driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertThat(storedBytes("t-a"))
                .as("kept while the blobs cannot be deleted")
                .isEqualTo(1_300L);
        storageDown = false;
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(storedBytes("t-a")).isEqualTo(300L);
        assertThat(storedBytes("t-b")).isZero();

        driver.advanceWallClockTime(RETENTION);
        assertThat(storedBytes("t-a")).isZero();
        assertThat(status("a2")).isNull();
    }

    @Test
    void theChangelogCarriesEveryRealChangeInTheAvroForm() {
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(
                StatusTopology.statusChangelog(StatusTopology.APPLICATION_ID),
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        pipe(submitted("a", "cat.jpg"), SUBMITTED_AT);
        pipe(completed("a", ref("results/a/anime.png"), "image/png", 2, 1920, 1440), SUBMITTED_AT);
        List<byte[]> written = changelog.readValuesToList();
        assertThat(written).hasSize(2).allMatch(StoredStatuses::isAvro);
        assertThat(StoredStatuses.readAny(written.get(1))).isEqualTo(status("a"));
    }

    @Test
    void theEventsAreFoldedWithoutARepartitionTopic() {
        String described = StatusTopology.build(
                        topics, TestEvents.BUCKET, StatusSettings.defaults(), prefix -> {}, Runnable::run)
                .describe()
                .toString();
        assertThat(described).doesNotContain("repartition");
    }
}
