package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.client.AnimeganClient;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.metrics.AnimeganMetrics;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.face.FaceProcessor;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.contract.ContractProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * Issue 7: the five styles through the whole embedded system (Kafka, S3, the three stages,
 * ingest), chosen per request.
 */
class StylesEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> STYLES = List.of(
            "animeganv2-hayao", "animeganv3-hayao", "animeganv3-shinkai", "animeganv3-cute-tiny", "whitebox-cartoon");
    /** Below this mean absolute difference (of 255) two styles' results would look alike. */
    private static final double MIN_STYLE_DIFFERENCE = 8;

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
        Path models = TestAssets.modelsDir();
        for (String file : List.of(
                "animeganv2-hayao-int8-fast.onnx",
                "animeganv3-hayao-int8.onnx",
                "animeganv3-shinkai-int8.onnx",
                "animeganv3-cute-tiny.onnx",
                "whitebox-cartoon.onnx")) {
            TestAssets.requireModel(file);
        }
        pipeline = EmbeddedPipeline.start(dataDir, 0, models, "int8", 2);
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

    /** Acceptance 1: the group photo in every style, each done, in shape, faces enhanced, each its own look. */
    @Test
    void groupPhotoInEveryStyle() throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        double analysesBefore = faceAnalyses();
        Map<String, String> ids = upload(api, photo, String.join(",", STYLES), Map.of("maxSide", "512"));
        assertThat(ids.keySet()).containsExactlyElementsOf(STYLES);
        // The same photo with faces off is each style's whole-picture pass (the stages delete their
        // intermediate blobs once a picture is done, so the stylized picture itself is not kept).
        Map<String, String> wholePass =
                upload(api, photo, String.join(",", STYLES), Map.of("maxSide", "512", "faces", "false"));
        Map<String, Mat> results = new LinkedHashMap<>();
        try (MatScope scope = new MatScope()) {
            Mat input = scope.own(ImageCodec.decode(photo));
            for (var entry : ids.entrySet()) {
                String style = entry.getKey();
                JsonNode status = api.awaitFinished(entry.getValue(), TIMEOUT);
                assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("done");
                assertThat(status.path("style").asText()).isEqualTo(style);
                assertThat(status.path("faces").asInt()).as(style).isEqualTo(3);
                byte[] png =
                        api.get("/api/images/" + entry.getValue() + "/result").body();
                Files.write(Path.of("target", "styles-group-" + style + ".png"), png);
                Mat result = scope.own(ImageCodec.decode(png));
                assertThat((double) result.cols() / result.rows())
                        .as("%s aspect ratio", style)
                        .isCloseTo((double) input.cols() / input.rows(), Offset.offset(0.01));
                assertThat(Math.max(result.cols(), result.rows())).isEqualTo(512);
                JsonNode whole = api.awaitFinished(wholePass.get(style), TIMEOUT);
                assertThat(whole.path("status").asText()).as(whole.toString()).isEqualTo("done");
                Mat wholePicture =
                        scope.own(ImageCodec.decode(api.get("/api/images/" + wholePass.get(style) + "/result")
                                .body()));
                assertFacesEnhanced(style, status, result, wholePicture, input.cols(), scope);
                results.put(style, result);
            }
            assertThat(faceAnalyses() - analysesBefore)
                    .as("the upload's faces are analysed once for its five styles")
                    .isEqualTo(1.0);
            for (int i = 0; i < STYLES.size(); i++) {
                for (int j = i + 1; j < STYLES.size(); j++) {
                    double diff = meanAbsDiff(results.get(STYLES.get(i)), results.get(STYLES.get(j)), scope);
                    System.out.printf("mean abs difference %-20s vs %-20s %5.1f%n", STYLES.get(i), STYLES.get(j), diff);
                    assertThat(diff)
                            .as("%s vs %s", STYLES.get(i), STYLES.get(j))
                            .isGreaterThan(MIN_STYLE_DIFFERENCE);
                }
            }
        }
    }

    /** Pictures whose faces face-stage analysed in this JVM (the embedded pipeline's). */
    private static double faceAnalyses() {
        return AnimeganMetrics.registry().get(FaceProcessor.ANALYSES).counter().count();
    }

    /** Acceptance 2. */
    @Test
    void twoStylesInOneRequestGiveTwoPictures() throws Exception {
        Map<String, String> ids = upload(
                api,
                TestAssets.sampleBytes("portrait-headphones.jpg"),
                "animeganv3-shinkai,animeganv3-hayao",
                Map.of("maxSide", "256"));
        assertThat(ids.keySet()).containsExactly("animeganv3-shinkai", "animeganv3-hayao");
        assertThat(ids.get("animeganv3-shinkai")).isNotEqualTo(ids.get("animeganv3-hayao"));
        for (var entry : ids.entrySet()) {
            JsonNode status = api.awaitFinished(entry.getValue(), TIMEOUT);
            assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("done");
            assertThat(status.path("style").asText()).isEqualTo(entry.getKey());
        }
    }

    /** Acceptance 3, first half; the old value still works. */
    @Test
    void unknownStylesAreRefusedWithTheKnownOnesAndTheOldNameStillWorks() throws Exception {
        AnimeganClient.Response refused = api.upload(
                "x.jpg",
                TestAssets.sampleBytes("portrait-headphones.jpg"),
                Map.of("style", "animeganv3-hayao,vangogh"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).contains("vangogh").contains(String.join(", ", STYLES));

        Map<String, String> ids = upload(
                api,
                TestAssets.sampleBytes("portrait-headphones.jpg"),
                "hayao",
                Map.of("maxSide", "256", "faces", "false"));
        assertThat(ids).containsOnlyKeys("animeganv2-hayao");
        assertThat(api.awaitFinished(ids.get("animeganv2-hayao"), TIMEOUT)
                        .path("status")
                        .asText())
                .isEqualTo("done");
    }

    /** Acceptance 5: the catalogue with five available styles; a thumbnail is a JPEG of the example. */
    @Test
    void theCatalogueListsFiveStylesWithThumbnails() throws Exception {
        JsonNode catalogue = api.get("/api/styles").json();
        System.out.println("GET /api/styles: " + catalogue);
        assertThat(catalogue.path("default").asText()).isEqualTo("animeganv2-hayao");
        List<String> ids = new ArrayList<>();
        for (JsonNode style : catalogue.path("styles")) {
            ids.add(style.path("id").asText());
            assertThat(style.path("available").asBoolean()).as(style.toString()).isTrue();
            assertThat(style.path("reason").isNull()).isTrue();
            assertThat(style.path("name").asText()).isNotBlank();
            assertThat(style.path("description").asText()).isNotBlank();
            assertThat(style.path("thumbnail").asText())
                    .isEqualTo("/api/styles/" + style.path("id").asText() + "/thumbnail");
        }
        assertThat(ids).containsExactlyElementsOf(STYLES);

        AnimeganClient.Response thumbnail = api.get("/api/styles/animeganv3-cute-tiny/thumbnail");
        assertThat(thumbnail.status()).as(new String(thumbnail.body())).isEqualTo(200);
        assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
        assertThat(thumbnail.body()[0]).isEqualTo((byte) 0xFF);
        assertThat(thumbnail.body()[1]).isEqualTo((byte) 0xD8);
        Files.write(Path.of("target", "styles-thumbnail-animeganv3-cute-tiny.jpg"), thumbnail.body());
        try (MatScope scope = new MatScope()) {
            Mat jpeg = scope.own(ImageCodec.decode(thumbnail.body()));
            assertThat(Math.max(jpeg.cols(), jpeg.rows())).isEqualTo(256);
        }
        BlobStore store = new BlobStore(pipeline.config().storage());
        byte[] kept = store.get(new BlobRef(store.bucket(), Keys.styleThumbnail("animeganv3-cute-tiny")));
        assertThat(api.get("/api/styles/animeganv3-cute-tiny/thumbnail").body())
                .as("served from storage")
                .isEqualTo(kept);
        assertThat(api.get("/api/styles/vangogh/thumbnail").status()).isEqualTo(404);
    }

    /** Acceptance 3, second half: a models directory without one style's file. */
    @Test
    void aStyleWithoutItsModelIsUnavailableAndTheOthersWork(@TempDir Path work) throws Exception {
        Path models = Files.createDirectory(work.resolve("models"));
        try (Stream<Path> files = Files.list(TestAssets.modelsDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".onnx")).toList()) {
                if (!file.getFileName().toString().equals("whitebox-cartoon.onnx")) {
                    Files.createSymbolicLink(models.resolve(file.getFileName()), file.toAbsolutePath());
                }
            }
        }
        try (EmbeddedPipeline partial = EmbeddedPipeline.start(work.resolve("data"), 0, models, "int8", 1)) {
            AnimeganClient client = new AnimeganClient("http://localhost:" + partial.httpPort());
            JsonNode whitebox = null;
            for (JsonNode style : client.get("/api/styles").json().path("styles")) {
                boolean isWhitebox = style.path("id").asText().equals("whitebox-cartoon");
                assertThat(style.path("available").asBoolean())
                        .as(style.toString())
                        .isEqualTo(!isWhitebox);
                whitebox = isWhitebox ? style : whitebox;
            }
            assertThat(whitebox).isNotNull();
            assertThat(whitebox.path("reason").asText()).contains("whitebox-cartoon.onnx");

            AnimeganClient.Response refused = client.upload(
                    "x.jpg", TestAssets.sampleBytes("portrait-headphones.jpg"), Map.of("style", "whitebox-cartoon"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("error").asText())
                    .contains("unavailable")
                    .contains("whitebox-cartoon.onnx");
            assertThat(client.get("/api/styles/whitebox-cartoon/thumbnail").status())
                    .isEqualTo(404);

            Map<String, String> ids = upload(
                    client,
                    TestAssets.sampleBytes("portrait-headphones.jpg"),
                    "animeganv3-cute-tiny",
                    Map.of("maxSide", "256"));
            assertThat(client.awaitFinished(ids.get("animeganv3-cute-tiny"), TIMEOUT)
                            .path("status")
                            .asText())
                    .isEqualTo("done");
        }
    }

    /**
     * Each face was pasted back from its own stylized crop: inside every face box the result differs
     * from the whole-picture pass it started from.
     */
    private static void assertFacesEnhanced(
            String style, JsonNode status, Mat result, Mat wholePicture, int sourceWidth, MatScope scope) {
        double scale = (double) result.cols() / sourceWidth;
        JsonNode faces = status.path("faceDetails");
        assertThat(faces.size()).isEqualTo(3);
        for (JsonNode face : faces) {
            JsonNode box = face.path("box");
            Rect rect = new Rect(
                    (int) (box.get(0).asDouble() * scale),
                    (int) (box.get(1).asDouble() * scale),
                    (int) ((box.get(2).asDouble() - box.get(0).asDouble()) * scale),
                    (int) ((box.get(3).asDouble() - box.get(1).asDouble()) * scale));
            double diff = meanAbsDiff(scope.own(result.submat(rect)), scope.own(wholePicture.submat(rect)), scope);
            System.out.printf(
                    "%s: face at %s enhanced, mean abs difference to the whole-picture pass %.1f%n", style, rect, diff);
            assertThat(diff).as("%s face %s enhanced", style, rect).isGreaterThan(3);
            assertThat(face.path("regions").toString()).contains("skin");
        }
    }

    /** Uploads one picture in the given styles; the 202 answer's ids by style. */
    private static Map<String, String> upload(
            AnimeganClient client, byte[] photo, String styles, Map<String, String> fields) throws Exception {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("style", styles);
        AnimeganClient.Response response = client.upload("photo.jpg", photo, form);
        assertThat(response.status()).as(new String(response.body())).isEqualTo(202);
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode image : response.json().path("images")) {
            assertThat(image.path("name").asText()).isEqualTo("photo.jpg");
            ids.put(image.path("style").asText(), image.path("id").asText());
        }
        return ids;
    }

    private static double meanAbsDiff(Mat a, Mat b, MatScope scope) {
        Mat diff = scope.newMat();
        Mat other = b;
        if (!a.size().equals(b.size())) {
            other = scope.newMat();
            Imgproc.resize(b, other, a.size(), 0, 0, Imgproc.INTER_AREA);
        }
        Core.absdiff(a, other, diff);
        var mean = Core.mean(diff);
        return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    }
}
