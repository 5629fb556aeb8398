package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.app.batch.BatchRun;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.testing.TopicRecords;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobCompleted;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.contract.ContractProxy;
import io.animegan.video.PipelineClips;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine;

/**
 * Acceptance for jobs and {@code animegan batch}, on the embedded pipeline with the real models
 * (faces off, 256 px, to keep it quick): 20 photos, 2 of them bad; a run interrupted after a few
 * results and a rerun that finishes without submitting any photo twice; the jobs' ZIPs; a folder
 * of a photo and a clip converted as one job.
 */
class BatchJobIT {

    static final String[] SAMPLES = {
        "couple-oranges.jpg", "group-of-three.jpg", "portrait-headphones.jpg", "street-railway.jpg"
    };
    static final int GOOD = 18;
    static final int INTERRUPT_AFTER = 5;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static EmbeddedPipeline pipeline;
    /** Every answer the CLI's client receives is checked against the OpenAPI document on its way. */
    private static ContractProxy contract;

    @BeforeAll
    static void start() {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        pipeline = EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, 2);
        contract = ContractProxy.to(pipeline.url());
    }

    @AfterAll
    static void stop() {
        if (contract != null) {
            contract.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (contract != null) {
            contract.assertNoMismatches();
        }
    }

    @Test
    void batchReportsBadPhotosResumesWithoutResubmittingAndEveryJobZipHoldsItsResults() throws Exception {
        Path in = Files.createDirectories(work.resolve("photos"));
        Path out = work.resolve("anime");
        writePhotos(in);
        String[] args = {
            in.toString(),
            "--out",
            out.toString(),
            "--url",
            contract.url(),
            "--max-side",
            "256",
            "--no-faces",
            "--files-per-job",
            "8"
        };

        // First run, stopped after a few results as a Ctrl-C would stop it.
        CountDownLatch someDone = new CountDownLatch(INTERRUPT_AFTER);
        AtomicReference<Throwable> firstRunEnd = new AtomicReference<>();
        Thread first = new Thread(
                () -> {
                    try {
                        command(args).newRun(progress(someDone)).run();
                        firstRunEnd.set(new AssertionError("first run finished before it was interrupted"));
                    } catch (Throwable e) {
                        firstRunEnd.set(e);
                    }
                },
                "batch-first-run");
        long t0 = System.nanoTime();
        first.start();
        assertThat(someDone.await(5, TimeUnit.MINUTES))
                .as("first results within 5 minutes")
                .isTrue();
        first.interrupt();
        first.join(30_000);
        assertThat(firstRunEnd.get())
                .as("the first run stopped on the interrupt")
                .isInstanceOfAny(InterruptedException.class, java.nio.channels.ClosedByInterruptException.class);
        int doneBefore = results(out).size();
        System.out.printf(
                "first run interrupted after %.1f s with %d results written%n",
                (System.nanoTime() - t0) / 1e9, doneBefore);
        assertThat(doneBefore).isBetween(INTERRUPT_AFTER, GOOD - 1);

        // Second run: skips what is done, follows what was submitted, submits nothing twice.
        long t1 = System.nanoTime();
        BatchRun.Report second =
                command(args).newRun(progress(new CountDownLatch(0))).run();
        System.out.printf("second run: %.1f s, %s%n", (System.nanoTime() - t1) / 1e9, second);
        assertThat(second.exitCode()).isEqualTo(1);
        // A result written just before the interrupt but not yet recorded is fetched again, not converted again.
        assertThat(second.skipped()).isBetween(doneBefore - 1, doneBefore);
        assertThat(second.skipped() + second.converted()).isEqualTo(GOOD);
        assertThat(second.problems()).hasSize(2);
        assertThat(second.problems()).anySatisfy(p -> assertThat(p).startsWith("notes.jpg: refused"));
        assertThat(second.problems()).anySatisfy(p -> assertThat(p).startsWith("truncated.jpg: failed"));

        List<Path> results = results(out);
        assertThat(results).hasSize(GOOD);
        for (Path result : results) {
            try (MatScope scope = new MatScope()) {
                Mat picture = scope.own(ImageCodec.decode(Files.readAllBytes(result)));
                assertThat(Math.max(picture.cols(), picture.rows()))
                        .as(result.toString())
                        .isEqualTo(256);
            }
        }

        // Third run through the command line: nothing left to do, the bad photos still reported.
        int exit = new CommandLine(new BatchCommand()).execute(args);
        assertThat(exit).isEqualTo(1);

        List<ImageSubmitted> submitted = readAll(pipeline.config().topics().submitted(), 19).stream()
                .filter(e -> !e.getName().startsWith("s3-") && !e.getName().startsWith("mixed-"))
                .toList(); // the other tests' photos
        Map<String, Long> perName = new java.util.TreeMap<>();
        submitted.forEach(e -> perName.merge(e.getName(), 1L, Long::sum));
        System.out.printf(
                "ImageSubmitted events after three runs: %d; submitted more than once: %s%n",
                submitted.size(),
                perName.entrySet().stream().filter(e -> e.getValue() > 1).toList());
        assertThat(submitted)
                .as("18 good photos and the truncated one, each submitted once (notes.jpg is refused at ingest)")
                .hasSize(GOOD + 1);
        assertThat(submitted.stream().map(e -> e.getJobId()).distinct())
                .hasSize(3)
                .doesNotContainNull();

        assertJobZipsHoldEveryResult(out, submitted);
    }

    /** Acceptance 3: each job's ZIP holds every finished result of that job, byte for byte as the batch saved it. */
    private static void assertJobZipsHoldEveryResult(Path out, List<ImageSubmitted> submitted) throws Exception {
        AnimeganClient api = new AnimeganClient(contract.url());
        Set<String> jobs = new HashSet<>();
        submitted.forEach(e -> jobs.add(e.getJobId()));
        Map<String, byte[]> zipped = new HashMap<>();
        int total = 0;
        int failed = 0;
        for (String job : jobs) {
            JsonNode view = api.get("/api/jobs/" + job).json();
            assertThat(view.path("pending").asInt()).as(view.toString()).isZero();
            assertThat(view.path("etaSeconds").asLong()).isZero();
            total += view.path("total").asInt();
            failed += view.path("failed").asInt();
            AnimeganClient.Response zip = api.get("/api/jobs/" + job + "/results.zip");
            assertThat(zip.status()).isEqualTo(200);
            assertThat(zip.contentType()).isEqualTo("application/zip");
            int entries = 0;
            try (ZipInputStream entriesIn = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
                for (ZipEntry entry; (entry = entriesIn.getNextEntry()) != null; entries++) {
                    zipped.put(entry.getName(), entriesIn.readAllBytes());
                }
            }
            assertThat(entries).as("job " + job).isEqualTo(view.path("done").asInt());
        }
        assertThat(total).isEqualTo(GOOD + 1);
        assertThat(failed).isEqualTo(1);
        assertThat(zipped).hasSize(GOOD);
        for (Path result : results(out)) {
            assertThat(zipped.get(result.getFileName().toString()))
                    .as(result.getFileName().toString())
                    .isEqualTo(Files.readAllBytes(result));
        }
        List<String> completed = readAll(pipeline.config().topics().jobsCompleted(), 3).stream()
                .map(JobCompleted::getJobId)
                .filter(jobs::contains)
                .toList();
        assertThat(completed).as("exactly one JobCompleted per job").containsExactlyInAnyOrderElementsOf(jobs);
    }

    private static BatchCommand command(String[] args) {
        BatchCommand command = new BatchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static BatchRun.Progress progress(CountDownLatch converted) {
        return progress(converted, GOOD + 2);
    }

    private static BatchRun.Progress progress(CountDownLatch converted, int files) {
        AtomicInteger seen = new AtomicInteger();
        return new BatchRun.Progress() {
            @Override
            public void total(int photos) {
                assertThat(photos).isEqualTo(files);
            }

            @Override
            public void finished(String name, boolean ok, Long etaSeconds) {
                seen.incrementAndGet();
                if (ok) {
                    converted.countDown();
                }
            }
        };
    }

    /** 18 photos made from the 4 samples (each cropped and scaled differently, so every hash differs) and 2 bad ones. */
    private static void writePhotos(Path dir) throws Exception {
        for (int i = 0; i < GOOD; i++) {
            Files.write(dir.resolve(SAMPLES[i % SAMPLES.length].replace(".jpg", "") + "-" + i + ".jpg"), variant(i));
        }
        Files.writeString(dir.resolve("notes.jpg"), "just some text, not a picture", StandardCharsets.UTF_8);
        byte[] photo = TestAssets.sampleBytes("street-railway.jpg");
        Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(photo, photo.length / 2));
    }

    /** Sample {@code i % 4}, cropped by 4(i+1) px on each side and scaled to a longest side of 300 + 7i px. */
    private static byte[] variant(int i) {
        try (MatScope scope = new MatScope()) {
            Mat source = scope.own(ImageCodec.decode(TestAssets.sampleBytes(SAMPLES[i % SAMPLES.length])));
            int inset = 4 * (i + 1);
            Mat cropped = scope.own(
                    new Mat(source, new Rect(inset, inset, source.cols() - 2 * inset, source.rows() - 2 * inset)));
            double scale = (300.0 + 7 * i) / Math.max(cropped.cols(), cropped.rows());
            Mat small = scope.own(new Mat());
            Imgproc.resize(
                    cropped,
                    small,
                    new Size(Math.round(cropped.cols() * scale), Math.round(cropped.rows() * scale)),
                    0,
                    0,
                    Imgproc.INTER_AREA);
            return ImageCodec.encodeJpeg(small, 90);
        }
    }

    @Test
    void batchReadsPhotosInTheServiceBucketAndWritesResultsToS3() throws Exception {
        StorageConfig s3 = pipeline.config().storage();
        BlobStore store = new BlobStore(s3);
        store.put("tenants/anonymous/uploads/s3-a.jpg", variant(30), "image/jpeg");
        store.put("tenants/anonymous/uploads/s3-b.jpg", variant(31), "image/jpeg");
        String[] args = {
            "s3://" + s3.bucket() + "/tenants/anonymous/uploads",
            "--out",
            "s3://" + s3.bucket() + "/converted/",
            "--url",
            contract.url(),
            "--max-side",
            "256",
            "--no-faces",
            "--s3-endpoint",
            s3.endpoint(),
            "--s3-access-key",
            s3.accessKey(),
            "--s3-secret-key",
            s3.secretKey()
        };

        assertThat(new CommandLine(new BatchCommand()).execute(args)).isZero();
        for (String name : List.of("s3-a", "s3-b")) {
            try (MatScope scope = new MatScope()) {
                Mat result = scope.own(
                        ImageCodec.decode(store.get(new BlobRef(s3.bucket(), "converted/" + name + ".anime.png"))));
                assertThat(Math.max(result.cols(), result.rows())).isEqualTo(256);
            }
        }
        assertThat(new String(
                        store.get(new BlobRef(s3.bucket(), "converted/.animegan-batch.json")), StandardCharsets.UTF_8))
                .contains("s3-a.jpg", "s3-b.jpg", "DONE");

        assertThat(new CommandLine(new BatchCommand()).execute(args))
                .as("rerun: nothing to do")
                .isZero();
        List<ImageSubmitted> fromS3 = readAll(pipeline.config().topics().submitted(), 1).stream()
                .filter(e -> e.getName().startsWith("s3-"))
                .toList();
        assertThat(fromS3).as("each S3 photo submitted once, by key").hasSize(2);
    }

    @Test
    void aFolderOfAPhotoAndAClipConvertsBothInOneJobAndARerunSkipsThem() throws Exception {
        Path in = Files.createDirectories(work.resolve("mixed"));
        Path out = work.resolve("mixed-anime");
        Files.write(in.resolve("mixed-photo.jpg"), variant(40));
        // About 1 s at 160x90, with sound: small enough to draw in seconds.
        PipelineClips.withSound(in.resolve("mixed-clip.mp4"), 160, 90, 25);
        String[] args = {
            in.toString(), "--out", out.toString(), "--url", contract.url(), "--max-side", "256", "--no-faces"
        };

        BatchRun.Report first = command(args)
                .newRun(new BatchRun.Progress() {
                    @Override
                    public void total(int files) {
                        assertThat(files).isEqualTo(2);
                    }

                    @Override
                    public void finished(String name, boolean converted, Long etaSeconds) {}
                })
                .run();
        assertThat(first.problems()).isEmpty();
        assertThat(first.converted()).isEqualTo(2);
        assertThat(first.jobs()).hasSize(1);
        Path clipResult = out.resolve("mixed-clip.anime.mp4");
        assertThat(out.resolve("mixed-photo.anime.png")).isRegularFile();
        assertThat(PipelineClips.frameCount(clipResult))
                .as("every frame of the clip drawn")
                .isEqualTo(25);
        assertThat(new String(Files.readAllBytes(out.resolve(".animegan-batch.json")), StandardCharsets.UTF_8))
                .contains("mixed-clip.anime.mp4", "mixed-photo.anime.png");

        // The job: both items finished, one completion, the ZIP holding the PNG and the MP4 as saved.
        String job = first.jobs().get(0);
        AnimeganClient api = new AnimeganClient(contract.url());
        JsonNode view = api.get("/api/jobs/" + job).json();
        assertThat(view.path("total").asInt()).as(view.toString()).isEqualTo(2);
        assertThat(view.path("done").asInt()).isEqualTo(2);
        assertThat(view.path("images")).hasSize(1);
        assertThat(view.path("doneVideos")).hasSize(1);
        Map<String, byte[]> zipped = new HashMap<>();
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(
                api.get("/api/jobs/" + job + "/results.zip").orThrow().body()))) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                zipped.put(entry.getName(), entries.readAllBytes());
            }
        }
        assertThat(zipped.keySet()).containsExactlyInAnyOrder("mixed-photo.anime.png", "mixed-clip.anime.mp4");
        assertThat(zipped.get("mixed-clip.anime.mp4")).isEqualTo(Files.readAllBytes(clipResult));
        List<JobCompleted> completed = readAll(pipeline.config().topics().jobsCompleted(), 1).stream()
                .filter(e -> e.getJobId().equals(job))
                .toList();
        assertThat(completed).singleElement().satisfies(e -> {
            assertThat(e.getTotal()).isEqualTo(2);
            assertThat(e.getVideoIds()).hasSize(1);
            assertThat(e.getImageIds()).hasSize(1);
        });

        BatchRun.Report rerun =
                command(args).newRun(progress(new CountDownLatch(0), 2)).run();
        assertThat(rerun.skipped()).as("the rerun skips both").isEqualTo(2);
        assertThat(rerun.converted()).isZero();
        assertThat(rerun.jobs()).isEmpty();
    }

    private static List<Path> results(Path out) throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".anime.png"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Every committed record of the topic, read until at least {@code expected} arrived and then to
     * the topic's end, so a record written twice shows however late it came.
     */
    private static <V> List<V> readAll(Topic<V> topic, int expected) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = TopicRecords.fromBeginning(
                pipeline.config().bootstrapServers(),
                topic.name(),
                new StringDeserializer(),
                topic.valueSerde().deserializer())) {
            Set<TopicPartition> partitions = consumer.assignment();
            TopicRecords.reading(topic.name() + ": " + expected + " records").until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
                return values.size() >= expected;
            });
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            TopicRecords.reading(topic.name() + " to its end").until(() -> {
                if (partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                    return true;
                }
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
                return false;
            });
        }
        return values;
    }
}
