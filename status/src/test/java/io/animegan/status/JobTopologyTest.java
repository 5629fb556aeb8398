package io.animegan.status;

import static io.animegan.status.TestEvents.SUBMITTED_AT;
import static io.animegan.status.TestEvents.completed;
import static io.animegan.status.TestEvents.failed;
import static io.animegan.status.TestEvents.ref;
import static io.animegan.status.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topics;
import io.animegan.common.stage.CloudEventHeaders;
import io.animegan.common.storage.StorageException;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobCompleted;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoSubmitted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job fold of the status app on Kafka Streams' test driver: counts, ETA and one completion event per job.
 * Tests that leave the wall clock alone share one driver, each with jobs and pictures of its own and
 * reading only the records it causes; a test that moves the wall clock has a driver of its own.
 */
class JobTopologyTest extends SharedDriverTest {

    @TempDir
    static Path dir;

    final Topics topics = Topics.withPrefix("t.", 1, (short) 1);
    TestInputTopic<String, ImageSubmitted> submittedTopic;
    TestInputTopic<String, ImageCompleted> completedTopic;
    TestInputTopic<String, ImageFailed> failedTopic;
    TestInputTopic<String, VideoSubmitted> videoSubmittedTopic;
    TestInputTopic<String, VideoCompleted> videoCompletedTopic;
    TestInputTopic<String, VideoFailed> videoFailedTopic;
    TestOutputTopic<String, JobCompleted> jobsCompleted;
    KeyValueStore<String, ValueAndTimestamp<JobChange>> jobs;
    /** Prefixes the processors asked storage to delete; {@link #storageDown} makes storage refuse. */
    final List<String> deleted = new CopyOnWriteArrayList<>();

    volatile boolean storageDown;

    @BeforeEach
    void startClean() {
        deleted.clear();
        storageDown = false;
    }

    @Override
    protected TopologyTestDriver open() throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, StatusTopology.APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory(dir, "state").toString());
        return new TopologyTestDriver(
                StatusTopology.build(
                        topics,
                        TestEvents.BUCKET,
                        StatusSettings.withRetention(Duration.ofHours(1)),
                        prefix -> {
                            if (storageDown) {
                                throw new StorageException("storage: connection refused", null);
                            }
                            deleted.add(prefix);
                        },
                        Runnable::run),
                props,
                Instant.ofEpochMilli(SUBMITTED_AT));
    }

    @Override
    protected void use(TopologyTestDriver driver) {
        submittedTopic = driver.createInputTopic(
                topics.submitted().name(),
                Serdes.String().serializer(),
                topics.submitted().valueSerde().serializer());
        completedTopic = driver.createInputTopic(
                topics.completed().name(),
                Serdes.String().serializer(),
                topics.completed().valueSerde().serializer());
        failedTopic = driver.createInputTopic(
                topics.failed().name(),
                Serdes.String().serializer(),
                topics.failed().valueSerde().serializer());
        videoSubmittedTopic = input(topics.videos().submitted());
        videoCompletedTopic = input(topics.videos().completed());
        videoFailedTopic = input(topics.videos().failed());
        jobsCompleted = driver.createOutputTopic(
                topics.jobsCompleted().name(),
                Serdes.String().deserializer(),
                topics.jobsCompleted().valueSerde().deserializer());
        jobs = driver.getTimestampedKeyValueStore(StatusTopology.JOBS);
    }

    private <T> TestInputTopic<String, T> input(io.animegan.common.config.Topic<T> topic) {
        return driver.createInputTopic(
                topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    /** The job as the jobs table holds it; null when it holds none. */
    private JobStatus job(String jobId) {
        JobChange stored = ValueAndTimestamp.getValueOrNull(jobs.get(jobId));
        return stored == null ? null : stored.job();
    }

    private void submit(String imageId, String jobId, int jobSize, long atMs) {
        ImageSubmitted event = submitted(imageId, imageId + ".jpg");
        event.setJobId(jobId);
        event.setJobSize(jobSize);
        event.getTrace().setSubmittedAtMs(atMs);
        submittedTopic.pipeInput(imageId, event, atMs);
    }

    private void complete(String imageId, long atMs) {
        ImageCompleted event = completed(imageId, ref("results/" + imageId + "/anime.png"), "image/png", 0, 256, 256);
        event.setCompletedAtMs(atMs);
        completedTopic.pipeInput(imageId, event, atMs);
    }

    private void submitClip(String videoId, String jobId, int jobSize, long atMs) {
        VideoSubmitted event = TestVideoEvents.submitted(videoId, videoId + ".mp4", "anonymous", 1_000);
        event.setJobId(jobId);
        event.setJobSize(jobSize);
        event.getTrace().setSubmittedAtMs(atMs);
        videoSubmittedTopic.pipeInput(videoId, event, atMs);
    }

    private void completeClip(String videoId, long atMs) {
        VideoCompleted event =
                TestVideoEvents.completed(videoId, ref("results/" + videoId + "/anime.mp4"), 30, 1, 5_000);
        event.setCompletedAtMs(atMs);
        videoCompletedTopic.pipeInput(videoId, event, atMs);
    }

    private void fail(String imageId, long atMs) {
        failedTopic.pipeInput(imageId, failed(imageId, "face", "CORRUPT_IMAGE", "not a picture"), atMs);
    }

    @Test
    void countsEveryOutcomeAndAnnouncesTheFinishedJobOnce() {
        long t = SUBMITTED_AT;
        submit("a", "job-1", 3, t);
        submit("b", "job-1", 3, t);
        submit("c", "job-1", 3, t + 10);
        submit("lonely", null, 0, t);
        assertThat(job("job-1").pending()).isEqualTo(3);
        assertThat(job("job-1").etaSeconds()).as("no pace yet").isNull();

        complete("a", t + 10_000);
        JobStatus partway = job("job-1");
        assertThat(partway.done()).isEqualTo(1);
        assertThat(partway.pending()).isEqualTo(2);
        assertThat(partway.etaSeconds()).as("10 s per picture so far, 2 to go").isEqualTo(20L);
        assertThat(jobsCompleted.isEmpty()).isTrue();

        fail("b", t + 12_000);
        complete("lonely", t + 12_000);
        complete("c", t + 20_000);
        complete("a", t + 21_000); // a replayed final event counts once
        fail("c", t + 22_000); // and a second final event of a finished picture changes nothing

        JobStatus finished = job("job-1");
        assertThat(finished.total()).isEqualTo(3);
        assertThat(finished.done()).isEqualTo(2);
        assertThat(finished.failed()).isEqualTo(1);
        assertThat(finished.pending()).isZero();
        assertThat(finished.etaSeconds()).isZero();
        assertThat(finished.imageIds(JobStatus.FAILED)).containsExactly("b");
        assertThat(finished.imageIds()).containsExactly("a", "b", "c");

        List<JobCompleted> announced = jobsCompleted.readValuesToList();
        assertThat(announced).hasSize(1);
        JobCompleted event = announced.get(0);
        assertThat(event.getJobId()).isEqualTo("job-1");
        assertThat(event.getTotal()).isEqualTo(3);
        assertThat(event.getDone()).isEqualTo(2);
        assertThat(event.getFailed()).isEqualTo(1);
        assertThat(event.getImageIds()).containsExactly("a", "b", "c");
        assertThat(event.getCompletedAtMs()).isEqualTo(t + 20_000);
        assertThat(job("lonely")).as("a picture without a job makes no job").isNull();
        KeyValueStore<String, ValueAndTimestamp<StatusChange>> statuses =
                driver.getTimestampedKeyValueStore(StatusTopology.STATUSES);
        assertThat(statuses.get("b").value().after().jobId())
                .as("the image status names its job")
                .isEqualTo("job-1");
        assertThat(statuses.get("lonely").value().after().jobId()).isNull();
    }

    @Test
    void aJobCompletionCarriesCloudEventsHeadersOfItsOwn() {
        submit("h", "job-8", 1, SUBMITTED_AT);
        complete("h", SUBMITTED_AT + 1_000);
        Headers headers = jobsCompleted.readRecord().headers();
        for (String header : CloudEventHeaders.HEADERS) {
            assertThat(headers.headers(header)).as(header).hasSize(1);
        }
        assertThat(text(headers, "ce_type")).isEqualTo("io.animegan.job.completed");
        assertThat(text(headers, "ce_subject")).isEqualTo("job-8");
        assertThat(text(headers, "ce_source")).isEqualTo(StatusTopology.CLOUDEVENT_SOURCE);
    }

    @Test
    void aJobsProgressDoesNotCarryTheCloudEventsHeadersOfTheCompletionItCameFrom() {
        submit("p", "job-9", 1, SUBMITTED_AT);
        completedTopic.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(
                "p",
                completed("p", ref("results/p/anime.png"), "image/png", 0, 256, 256),
                new org.apache.kafka.common.header.internals.RecordHeaders()
                        .add("ce_type", "io.animegan.image.completed".getBytes(StandardCharsets.UTF_8)),
                java.time.Instant.ofEpochMilli(SUBMITTED_AT + 1_000)));
        var progress = driver.createOutputTopic(
                        topics.jobProgress().name(),
                        Serdes.String().deserializer(),
                        topics.jobProgress().valueSerde().deserializer())
                .readRecordsToList();
        assertThat(progress)
                .isNotEmpty()
                .allSatisfy(record ->
                        assertThat(record.headers().lastHeader("ce_type")).isNull());
    }

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void finishedJobsExpireWithTheStatusRetention() throws IOException {
        useFreshDriver();
        submit("a", "job-4", 2, SUBMITTED_AT);
        submit("b", "job-4", 2, SUBMITTED_AT);
        submit("x", "job-5", 2, SUBMITTED_AT); // job-5 never finishes: it stays
        complete("a", SUBMITTED_AT + 1_000);
        complete("b", SUBMITTED_AT + 2_000);
        complete("lonely", SUBMITTED_AT + 2_000);
        assertThat(job("job-4").announced()).isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertThat(job("job-4")).as("within the retention").isNotNull();

        driver.advanceWallClockTime(Duration.ofMinutes(32));
        assertThat(job("job-4")).as("past the retention").isNull();
        assertThat(job("job-5")).as("an unfinished job stays").isNotNull();
    }

    @Test
    void theJobRecordIngestStoredIsDeletedBeforeTheFoldedJob() throws IOException {
        useFreshDriver();
        String job = UUID.randomUUID().toString();
        submit("r1", job, 1, SUBMITTED_AT);
        complete("r1", SUBMITTED_AT + 1_000);
        storageDown = true;
        driver.advanceWallClockTime(Duration.ofMinutes(62));
        assertThat(job(job)).as("kept while its record cannot be deleted").isNotNull();

        storageDown = false;
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(deleted).contains("jobs/" + job + "/");
        assertThat(job(job)).isNull();
    }

    @Test
    void aJobIsNotFinishedBeforeAllItsPicturesAreSubmitted() {
        submit("n1", "job-2", 2, SUBMITTED_AT);
        complete("n1", SUBMITTED_AT + 1_000);
        assertThat(job("job-2").pending())
                .as("the job size counts the picture not seen yet")
                .isEqualTo(1);
        assertThat(jobsCompleted.isEmpty()).isTrue();
        submit("n2", "job-2", 2, SUBMITTED_AT + 5);
        fail("n2", SUBMITTED_AT + 2_000);
        assertThat(jobsCompleted.readValuesToList())
                .singleElement()
                .satisfies(e -> assertThat(e.getFailed()).isEqualTo(1));
    }

    @Test
    void aFinalEventReadBeforeItsSubmissionStillCounts() {
        complete("early", SUBMITTED_AT + 3_000);
        submit("early", "job-3", 1, SUBMITTED_AT);
        assertThat(job("job-3").done()).isEqualTo(1);
        assertThat(jobsCompleted.readValuesToList())
                .singleElement()
                .satisfies(e -> assertThat(e.getDone()).isEqualTo(1));
    }

    @Test
    void aJobOfAPictureAndAClipCompletesOnlyOnceBothAreFinished() {
        long t = SUBMITTED_AT;
        submit("photo", "job-6", 2, t);
        submitClip("clip", "job-6", 2, t + 5);
        JobStatus queued = job("job-6");
        assertThat(queued.pending()).isEqualTo(2);
        assertThat(queued.imageIds()).containsExactly("photo");
        assertThat(queued.videoIds()).containsExactly("clip");

        complete("photo", t + 2_000);
        assertThat(job("job-6").pending()).as("the clip is still being drawn").isEqualTo(1);
        assertThat(jobsCompleted.isEmpty()).isTrue();

        completeClip("clip", t + 9_000);
        completeClip("clip", t + 9_500); // a replayed completion counts once
        JobStatus finished = job("job-6");
        assertThat(finished.done()).isEqualTo(2);
        assertThat(finished.videoIds(JobStatus.DONE)).containsExactly("clip");
        assertThat(finished.imageIds(JobStatus.DONE)).containsExactly("photo");
        assertThat(jobsCompleted.readValuesToList()).singleElement().satisfies(event -> {
            assertThat(event.getTotal()).isEqualTo(2);
            assertThat(event.getDone()).isEqualTo(2);
            assertThat(event.getImageIds()).containsExactly("photo");
            assertThat(event.getVideoIds()).containsExactly("clip");
            assertThat(event.getCompletedAtMs()).isEqualTo(t + 9_000);
        });
        assertThat(StoredJobs.read(StoredJobs.write(finished)))
                .as("the stored job keeps which items are clips")
                .isEqualTo(finished);
    }

    @Test
    void aFailedClipFinishesItsJobAsAFailedPictureDoes() {
        submitClip("bad", "job-7", 2, SUBMITTED_AT);
        submit("photo-7", "job-7", 2, SUBMITTED_AT);
        videoFailedTopic.pipeInput(
                "bad", TestVideoEvents.failed("bad", "video", "CORRUPT_VIDEO", "no frames"), SUBMITTED_AT + 1_000);
        assertThat(jobsCompleted.isEmpty()).isTrue();
        complete("photo-7", SUBMITTED_AT + 2_000);
        assertThat(jobsCompleted.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.getFailed()).isEqualTo(1);
            assertThat(e.getVideoIds()).containsExactly("bad");
        });
        assertThat(job("job-7").videoIds(JobStatus.FAILED)).containsExactly("bad");
    }
}
