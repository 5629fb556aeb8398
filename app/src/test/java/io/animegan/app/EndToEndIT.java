package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.blend.BlendStageApp;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.contract.ContractProxy;
import io.animegan.stylize.StylizeStageApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The whole system in one JVM, through its public HTTP API: real Kafka broker (KRaft), real S3
 * server, the three Kafka Streams stages and the ingest service.
 */
class EndToEndIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;

    private static EmbeddedPipeline pipeline;
    private static AnimeganClient api;
    /** Every answer the client receives is checked against the OpenAPI document on its way. */
    private static ContractProxy contract;

    @BeforeAll
    static void start() {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        long t0 = System.nanoTime();
        pipeline = EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, 2);
        System.out.printf("embedded pipeline started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
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
        if (contract != null) {
            contract.assertNoMismatches();
        }
    }

    @Test
    void groupPhotoComesBackStylizedWithItsThreeFaces() throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        long t0 = System.nanoTime();
        String id = uploadOk("group-of-three.jpg", photo);

        JsonNode status = api.awaitFinished(id, TIMEOUT);
        System.out.printf(
                "group-of-three.jpg end to end: %.1f s, timings %s%n",
                (System.nanoTime() - t0) / 1e9, status.path("timings"));
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("done");
        assertThat(status.path("faces").asInt()).isEqualTo(3);
        assertFaceDetails(status.path("faceDetails"));

        AnimeganClient.Response result = api.get("/api/images/" + id + "/result");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.contentType()).isEqualTo("image/png");
        java.nio.file.Files.write(Path.of("target", "e2e-group-of-three.png"), result.body());
        Mat output = ImageCodec.decode(result.body());
        Mat input = ImageCodec.decode(photo);

        double inputRatio = (double) input.cols() / input.rows();
        double outputRatio = (double) output.cols() / output.rows();
        assertThat(outputRatio).as("aspect ratio").isCloseTo(inputRatio, org.assertj.core.data.Offset.offset(0.01));
        double fromInput = meanAbsDiff(output, resized(input, output.size()));
        System.out.printf("mean abs difference result vs input: %.1f%n", fromInput);
        assertThat(fromInput)
                .as("strongly stylized (a re-encoded copy differs by about 1)")
                .isGreaterThan(10);

        Mat inProcess = ImageCodec.decode(runStagesInProcess(id, photo.length));
        double fromInProcess = meanAbsDiff(output, inProcess);
        System.out.printf("mean abs difference pipeline vs in-process stages: %.3f%n", fromInProcess);
        assertThat(inProcess.size()).isEqualTo(output.size());
        assertThat(fromInProcess).as("same as the stages called without Kafka").isLessThan(0.5);
    }

    @Test
    void anUploadThatIsNotAnImageIsRefusedAtIngest() throws Exception {
        AnimeganClient.Response response =
                api.upload("notes.jpg", "just some text, not a picture".getBytes(), Map.of());
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().path("error").asText()).isNotBlank();
    }

    @Test
    void aTruncatedJpegFailsInTheFaceStageAndTheNextUploadStillWorks() throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        String broken = uploadOk("broken.jpg", Arrays.copyOf(photo, photo.length / 2));

        JsonNode failed = api.awaitFinished(broken, TIMEOUT);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("face").contains("CORRUPT_IMAGE");
        assertThat(api.get("/api/images/" + broken + "/result").status()).isEqualTo(409);

        String next = uploadOk("small.jpg", photo, Map.of("maxSide", "256", "faces", "false"));
        JsonNode done = api.awaitFinished(next, TIMEOUT);
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(Math.max(done.path("width").asInt(), done.path("height").asInt()))
                .isEqualTo(256);
    }

    /**
     * Issue 3, acceptance 6: the faces of the group photo with their boxes and parsing regions,
     * left to right; the two men wear glasses, and everyone has both eyes (derived behind glasses).
     */
    private static void assertFaceDetails(JsonNode details) {
        System.out.printf("faceDetails: %s%n", details);
        assertThat(details.isArray()).as("faceDetails").isTrue();
        assertThat(details.size()).isEqualTo(3);
        double previousX = -1;
        for (int i = 0; i < 3; i++) {
            JsonNode face = details.get(i);
            JsonNode box = face.path("box");
            assertThat(box.size()).as("box x1, y1, x2, y2").isEqualTo(4);
            assertThat(box.get(2).asDouble()).isGreaterThan(box.get(0).asDouble());
            assertThat(box.get(3).asDouble()).isGreaterThan(box.get(1).asDouble());
            assertThat(box.get(0).asDouble()).as("left to right").isGreaterThan(previousX);
            previousX = box.get(0).asDouble();
            assertThat(face.path("score").asDouble()).isGreaterThan(0.8);
            java.util.List<String> regions = new java.util.ArrayList<>();
            face.path("regions").forEach(region -> regions.add(region.asText()));
            assertThat(regions)
                    .as("face %d", i)
                    .contains("skin", "eyes", "hair")
                    .doesNotContain("background");
            if (i < 2) {
                assertThat(regions).as("face %d wears glasses", i).contains("glasses");
            } else {
                assertThat(regions).as("face %d", i).doesNotContain("glasses");
            }
        }
    }

    @Test
    void theBatchCommandConvertsEveryGoodPhotoAndReportsTheBadOne(@TempDir Path work) throws Exception {
        Path good = TestAssets.requireSample("portrait-headphones.jpg");
        Path bad = java.nio.file.Files.writeString(work.resolve("notes.jpg"), "not a picture");
        Path out = work.resolve("out");
        int exit = Main.commandLine()
                .execute(
                        "submit",
                        "--url",
                        "http://localhost:" + pipeline.httpPort(),
                        "--out",
                        out.toString(),
                        "--max-side",
                        "256",
                        good.toString(),
                        bad.toString());
        assertThat(exit).as("a refused photo makes the batch exit non-zero").isEqualTo(1);
        Mat result = ImageCodec.decode(java.nio.file.Files.readAllBytes(out.resolve("portrait-headphones.anime.png")));
        assertThat(Math.max(result.cols(), result.rows())).isEqualTo(256);
        assertThat(out.resolve("notes.anime.png")).doesNotExist();
    }

    private static String uploadOk(String name, byte[] bytes) throws Exception {
        return uploadOk(name, bytes, Map.of());
    }

    private static String uploadOk(String name, byte[] bytes, Map<String, String> fields) throws Exception {
        AnimeganClient.Response response = api.upload(name, bytes, fields);
        assertThat(response.status()).as(new String(response.body())).isEqualTo(202);
        JsonNode image = response.json().path("images").get(0);
        assertThat(image.path("name").asText()).isEqualTo(name);
        return image.path("id").asText();
    }

    /** The same three stage processors, called one after the other without Kafka. */
    private static byte[] runStagesInProcess(String uploadedId, long size) {
        PipelineConfig config = pipeline.config();
        BlobStore store = new BlobStore(config.storage());
        // A picture of its own: stages read only the inputs/ and work/ objects of the picture they work on.
        String imageId = "in-process-" + uploadedId;
        store.put(
                Keys.original(imageId),
                store.get(new BlobRef(store.bucket(), Keys.original(uploadedId))),
                "image/jpeg");
        ImageSubmitted submitted = ImageSubmitted.newBuilder()
                .setImageId(imageId)
                .setName("group-of-three.jpg")
                .setSource(new BlobRef(store.bucket(), Keys.original(imageId)))
                .setSizeBytes(size)
                .setOptions(Options.newBuilder().build())
                .setTrace(new Trace("in-process", System.currentTimeMillis(), Map.of()))
                .build();
        try (var face = FaceStageApp.processor(config);
                var stylize = StylizeStageApp.processor(config);
                var blend = BlendStageApp.processor(config)) {
            ImageCompleted completed = blend.process(stylize.process(face.process(submitted)));
            return store.get(completed.getResult());
        }
    }

    private static Mat resized(Mat image, Size size) {
        Mat out = new Mat();
        Imgproc.resize(image, out, size, 0, 0, Imgproc.INTER_AREA);
        return out;
    }

    private static double meanAbsDiff(Mat a, Mat b) {
        Mat diff = new Mat();
        Core.absdiff(a, b, diff);
        return (Core.mean(diff).val[0] + Core.mean(diff).val[1] + Core.mean(diff).val[2]) / 3;
    }
}
