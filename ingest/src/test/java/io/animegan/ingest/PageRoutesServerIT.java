package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.ingest.contract.ContractValidator;
import io.animegan.status.TestEvents;
import io.animegan.submission.OptionsParser;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The page's routes against a real Kafka broker and S3 server, with the stages played by hand:
 * the event stream, the ZIP, downloads, examples and limits.
 */
class PageRoutesServerIT {

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static Http http;
    static BlobStore store;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        infra = Infra.start(dir);
        Path samples = TestAssets.samplesDir();
        server = IngestServer.start(infra.config, new IngestSettings(0, 300_000).withExamplesDir(samples));
        http = new Http(server.port());
        store = new BlobStore(infra.config.storage());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void oneStreamFollowsABatchStageByStageWithQueuePositions() throws Exception {
        String a = Keys.newImageId();
        String b = Keys.newImageId();
        String first = a.compareTo(b) < 0 ? a : b; // same submission time: the id breaks the tie
        String second = first.equals(a) ? b : a;
        // A stream follows ids the caller may see (an id nobody submitted answers 404, as another tenant's does).
        infra.produce(TestEvents.submitted(first, "first.jpg"));
        infra.produce(TestEvents.submitted(second, "second.jpg"));
        await(
                "both folded",
                () -> http.get("/api/images/" + first).statusCode() == 200
                        && http.get("/api/images/" + second).statusCode() == 200);
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/api/events?ids=" + a + "," + b))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(
                        request, HttpResponse.BodyHandlers.ofLines())
                .thenApply(ContractValidator.instance()::check);
        CompletableFuture.runAsync(() -> response.join().body().forEach(line -> {
            lines.add(line);
            if (line.startsWith("data:")) {
                events.add(json(line.substring(5).strip()));
            }
        }));
        assertThat(response.join().headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/event-stream");
        await(
                "both queued",
                () -> last(events, second) != null
                        && last(events, second).path("position").asInt() == 2);
        assertThat(last(events, first).path("stage").asText()).isEqualTo("queued");
        assertThat(last(events, first).path("position").asInt()).isEqualTo(1);

        infra.produce(TestEvents.facesDetected(first, 2, 64, 48));
        await(
                "first has faces",
                () -> "faces".equals(last(events, first).path("stage").asText()));
        assertThat(last(events, first).path("faces").asInt()).isEqualTo(2);
        assertThat(last(events, first).path("position").isNull()).isTrue();
        await("second moved up", () -> last(events, second).path("position").asInt() == 1);

        BlobRef result = store.put(Keys.result(first, "png"), png(), "image/png");
        infra.produce(TestEvents.completed(first, result, "image/png", 2, 64, 48));
        await(
                "first done",
                () -> "done".equals(last(events, first).path("stage").asText()));
        await(
                "second has an estimate from the finished one's stage times",
                () -> last(events, second).path("etaSeconds").asDouble() > 0);
        // The completed trace says face 300 + stylize 2000 + blend 400 ms: all of them still ahead of the second.
        assertThat(last(events, second).path("etaSeconds").asDouble()).isEqualTo(2.7);

        List<Integer> progress = events.stream()
                .filter(e -> e.path("id").asText().equals(first))
                .map(e -> e.path("progress").asInt())
                .toList();
        assertThat(progress).isSortedAccordingTo(Integer::compare).contains(10, 40, 100);
        assertThat(lines).contains("event: status");

        HttpResponse<byte[]> zip = http.get("/api/results.zip?ids=" + a + "," + b);
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(zipEntries(zip.body())).containsExactly("first.anime.png");
        assertThat(http.get("/api/results.zip?ids=" + second).statusCode()).isEqualTo(409);
        assertThat(http.get("/api/results.zip").statusCode()).isEqualTo(400);

        HttpResponse<byte[]> jpeg = http.get("/api/images/" + first + "/download?format=jpeg");
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(jpeg.headers().firstValue("Content-Disposition").orElse("")).contains("first.anime.jpg");
        try (MatScope scope = new MatScope()) {
            assertThat(scope.own(ImageCodec.decode(jpeg.body())).cols()).isEqualTo(64);
        }
        assertThat(http.get("/api/images/" + first + "/download").body()).isEqualTo(png());
        assertThat(http.get("/api/images/" + second + "/download").statusCode()).isEqualTo(409);
        assertThat(http.get("/api/images/" + first + "/download?format=gif").statusCode())
                .isEqualTo(400);
    }

    @Test
    void aBadIdListIsRefusedBeforeTheStreamStarts() {
        HttpResponse<byte[]> bad = http.get("/api/events?ids=..%2Fx");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(new String(bad.body())).path("error").asText()).contains("not an image id");
    }

    @Test
    void theOpenApiDocumentIsServedAsKeptInTheRepository() {
        HttpResponse<byte[]> answer = http.get("/api/openapi.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode document = json(new String(answer.body()));
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document).isEqualTo(json(ContractValidator.document()));
    }

    @Test
    void examplesAreListedAndServedFromTheConfiguredFolderOnly() {
        TestAssets.requireSample("street-railway.jpg");
        JsonNode list = json(new String(http.get("/api/examples").body()));
        List<String> names = new ArrayList<>();
        list.path("examples").forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).contains("street-railway.jpg");

        HttpResponse<byte[]> photo = http.get("/api/examples/street-railway.jpg");
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.body()).isEqualTo(TestAssets.sampleBytes("street-railway.jpg"));
        HttpResponse<byte[]> thumbnail = http.get("/api/examples/street-railway.jpg/thumbnail");
        assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        try (MatScope scope = new MatScope()) {
            Mat small = scope.own(ImageCodec.decode(thumbnail.body()));
            assertThat(Math.max(small.cols(), small.rows())).isEqualTo(ExampleRoutes.THUMBNAIL_SIDE);
        }
        assertThat(http.get("/api/examples/..%2Fmodels%2FREADME.md").statusCode())
                .isEqualTo(404);
        assertThat(http.get("/api/examples/README.md").statusCode()).isEqualTo(404);
    }

    @Test
    void limitsTellThePageWhatTheServerRefuses() {
        JsonNode limits = json(new String(http.get("/api/limits").body()));
        assertThat(limits.path("maxUploadBytes").asLong()).isEqualTo(300_000);
        assertThat(limits.path("maxFiles").asInt()).isEqualTo(PageRoutes.MAX_BATCH);
        assertThat(limits.path("maxSide").asInt()).isEqualTo(OptionsParser.MAX_MAX_SIDE);
    }

    private static JsonNode last(List<JsonNode> events, String id) {
        JsonNode found = null;
        for (JsonNode e : events) {
            if (e.path("id").asText().equals(id)) {
                found = e;
            }
        }
        return found;
    }

    private static byte[] png() {
        try (MatScope scope = new MatScope()) {
            return ImageCodec.encodePng(scope.own(new Mat(48, 64, CvType.CV_8UC3, new Scalar(200, 180, 240))));
        }
    }

    private static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<String> zipEntries(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
