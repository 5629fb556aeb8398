package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.events.EventSerdes;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.VideoSubmitted;
import io.animegan.ingest.contract.ContractValidator;
import io.animegan.status.TestEvents;
import io.animegan.status.TestVideoEvents;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/jobs} with S3 keys, and with photos and clips in one multipart request, and
 * {@code GET /api/jobs/{id}} against a real broker and S3 server (the stages' final events written
 * here).
 */
class JobRoutesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static BlobStore store;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        infra = Infra.start(dir);
        server = IngestServer.start(infra.config, new IngestSettings(0, 300_000));
        store = new BlobStore(infra.config.storage());
        store.put("tenants/anonymous/uploads/group.jpg", TestAssets.sampleBytes("group-of-three.jpg"), "image/jpeg");
        store.put(
                "tenants/anonymous/uploads/notes.jpg", "not a picture".getBytes(StandardCharsets.UTF_8), "image/jpeg");
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

    static HttpResponse<byte[]> postJob(Object body) throws Exception {
        return ContractValidator.instance()
                .check(client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/api/jobs"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return ContractValidator.instance()
                .check(client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void keysInTheBucketMakeAJobWhoseBadPictureIsNamedAndLeftOut() throws Exception {
        HttpResponse<byte[]> response = postJob(Map.of(
                "keys",
                        List.of(
                                "tenants/anonymous/uploads/group.jpg",
                                "s3://" + store.bucket() + "/tenants/anonymous/uploads/notes.jpg"),
                "options", Map.of("maxSide", 256, "faces", false)));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        JsonNode created = json(response);
        String job = created.path("job").asText();
        assertThat(created.path("images")).hasSize(1);
        String imageId = created.path("images").get(0).path("id").asText();
        assertThat(created.path("images").get(0).path("name").asText()).isEqualTo("group.jpg");
        assertThat(created.path("refused")).hasSize(1);
        assertThat(created.path("refused").get(0).path("name").asText())
                .isEqualTo("s3://" + store.bucket() + "/tenants/anonymous/uploads/notes.jpg");

        ImageSubmitted event = infra.records(infra.topics().submitted().name()).stream()
                .filter(r -> r.key().equals(imageId))
                .findFirst()
                .map(r -> EventSerdes.imageSubmitted().deserialize(r.topic(), r.value()))
                .orElseThrow();
        assertThat(event.getJobId()).isEqualTo(job);
        assertThat(event.getJobSize()).isEqualTo(1);
        assertThat(event.getOptions().getMaxSide()).isEqualTo(256);
        assertThat(event.getOptions().getFaces()).isFalse();
        assertThat(event.getSource().getKey())
                .as("the service keeps its own copy")
                .isNotEqualTo("tenants/anonymous/uploads/group.jpg");

        await("job " + job + " known", () -> {
            try {
                return get("/api/jobs/" + job).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode view = json(get("/api/jobs/" + job));
        assertThat(view.path("id").asText()).isEqualTo(job);
        assertThat(view.path("total").asInt()).isEqualTo(1);
        assertThat(view.path("pending").asInt()).isEqualTo(1);
        assertThat(view.path("done").asInt()).isZero();
        assertThat(view.path("etaSeconds").isNull()).isTrue();
        assertThat(view.path("images")).extracting(JsonNode::asText).containsExactly(imageId);
        await("image status", () -> {
            try {
                return get("/api/images/" + imageId).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(json(get("/api/images/" + imageId)).path("job").asText()).isEqualTo(job);
        assertThat(get("/api/jobs/" + job + "/results.zip").statusCode())
                .as("nothing finished yet")
                .isEqualTo(409);
    }

    @Test
    void aMultipartJobHoldsAPhotoAndAClipAndCompletesOnlyOnceBothAreFinished() throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        byte[] clip = VideoRoutesIT.clip(dir.resolve("job-clip.mp4"), "mp4", "libopenh264", avcodec.AV_CODEC_ID_H264);
        Http http = new Http(server.port());
        HttpResponse<byte[]> response = http.post(
                "/api/jobs",
                new Http.Multipart()
                        .file("group.jpg", photo)
                        .file("holiday.mp4", clip)
                        .file("notes.mp4", "not a clip".getBytes(StandardCharsets.UTF_8))
                        .field("maxSide", "256")
                        .field("temporal", "off"));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        JsonNode created = json(response);
        String job = created.path("job").asText();
        assertThat(created.path("images")).hasSize(1);
        assertThat(created.path("videos")).hasSize(1);
        String imageId = created.path("images").get(0).path("id").asText();
        String videoId = created.path("videos").get(0).path("id").asText();
        assertThat(created.path("videos").get(0).path("name").asText()).isEqualTo("holiday.mp4");
        assertThat(created.path("refused"))
                .as("a file that is no clip is named and left out, as a bad photo is")
                .singleElement()
                .satisfies(r -> assertThat(r.path("name").asText()).isEqualTo("notes.mp4"));

        VideoSubmitted event = infra.records(infra.topics().videos().submitted().name()).stream()
                .filter(r -> r.key().equals(videoId))
                .findFirst()
                .map(r -> EventSerdes.videoSubmitted().deserialize(r.topic(), r.value()))
                .orElseThrow();
        assertThat(event.getJobId()).isEqualTo(job);
        assertThat(event.getJobSize()).as("the photo and the clip").isEqualTo(2);
        assertThat(event.getOptions().getTemporal()).isFalse();
        assertThat(event.getOptions().getMaxSide()).isEqualTo(256);

        await("job " + job + " known", () -> view(job).path("total").asInt() == 2);
        JsonNode queued = view(job);
        assertThat(queued.path("total").asInt()).isEqualTo(2);
        assertThat(queued.path("images")).extracting(JsonNode::asText).containsExactly(imageId);
        assertThat(queued.path("videos")).extracting(JsonNode::asText).containsExactly(videoId);

        byte[] picture = TestAssets.sampleBytes("portrait-headphones.jpg"); // any bytes stand for the result here
        BlobRef pictureResult = store.put(Keys.result(imageId, "jpg"), picture, "image/jpeg");
        infra.produce(
                infra.topics().completed(),
                imageId,
                TestEvents.completed(imageId, pictureResult, "image/jpeg", 0, 256, 171));
        await("the photo done", () -> view(job).path("done").asInt() == 1);
        JsonNode half = view(job);
        assertThat(half.path("pending").asInt()).as("the clip is still drawn").isEqualTo(1);
        assertThat(half.path("doneImages")).extracting(JsonNode::asText).containsExactly(imageId);

        BlobRef clipResult = store.put(Keys.result(videoId, "mp4"), clip, "video/mp4");
        infra.produce(
                infra.topics().videos().completed(),
                videoId,
                TestVideoEvents.completed(videoId, clipResult, 20, 1, clip.length));
        await("the clip done", () -> view(job).path("pending").asInt() == 0);
        JsonNode done = view(job);
        assertThat(done.path("done").asInt()).isEqualTo(2);
        assertThat(done.path("doneVideos")).extracting(JsonNode::asText).containsExactly(videoId);
        assertThat(done.path("etaSeconds").asLong()).isZero();

        Map<String, byte[]> zipped = new HashMap<>();
        HttpResponse<byte[]> zip = get("/api/jobs/" + job + "/results.zip");
        assertThat(zip.statusCode()).isEqualTo(200);
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                zipped.put(entry.getName(), entries.readAllBytes());
            }
        }
        assertThat(zipped.keySet()).containsExactlyInAnyOrder("group.anime.jpg", "holiday.anime.mp4");
        assertThat(zipped.get("holiday.anime.mp4")).isEqualTo(clip);
        assertThat(zipped.get("group.anime.jpg")).isEqualTo(picture);
    }

    @Test
    void keysMissingOrOutsideTheBucketAreRefused() throws Exception {
        assertError(
                postJob(Map.of(
                        "keys",
                        List.of("tenants/anonymous/uploads/group.jpg", "tenants/anonymous/uploads/absent.jpg"))),
                400,
                "tenants/anonymous/uploads/absent.jpg");
        assertError(
                postJob(Map.of("keys", List.of("s3://someone-else/tenants/anonymous/uploads/group.jpg"))),
                400,
                "someone-else");
        assertError(postJob(Map.of("keys", List.of())), 400, "keys");
        // Outside the caller's input prefix (here anonymous's): refused from the key alone, existing or not.
        assertError(
                postJob(Map.of("keys", List.of("inputs/x/original"))),
                400,
                "outside your input prefix tenants/anonymous/uploads/");
        assertError(postJob(Map.of("keys", List.of("tenants/anonymous/uploads/../other/a.jpg"))), 400, "outside");
        assertError(
                postJob(Map.of(
                        "keys", List.of("tenants/anonymous/uploads/group.jpg"), "options", Map.of("maxSide", 5))),
                400,
                "maxSide");
        assertError(get("/api/jobs/no-such-job"), 404, "no-such-job");
    }

    /** The job's view; an empty one while it cannot be read. */
    static JsonNode view(String job) {
        try {
            HttpResponse<byte[]> response = get("/api/jobs/" + job);
            return response.statusCode() == 200 ? json(response) : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static void assertError(HttpResponse<byte[]> response, int status, String mention) throws Exception {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(json(response).path("error").asText()).contains(mention);
    }
}
