package io.animegan.ingest;

import static io.animegan.ingest.Http.assertError;
import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.BlobRef;
import io.animegan.events.EventSerdes;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Trace;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.ImageStatus;
import io.animegan.status.TestEvents;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.UploadValidatorTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP contract against a real Kafka broker and S3 server, with the stages played by hand. */
class IngestServerIT {

    static final long MAX_UPLOAD = 300_000;

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static Http http;
    static BlobStore store;
    static byte[] photo;

    @BeforeAll
    static void start() throws Exception {
        photo = TestAssets.sampleBytes("group-of-three.jpg");
        infra = Infra.start(dir);
        server = IngestServer.start(infra.config, new IngestSettings(0, MAX_UPLOAD));
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

    static String upload(String name, byte[] bytes) {
        HttpResponse<byte[]> response = http.post(new Multipart().file(name, bytes));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        return Http.json(response).get("images").get(0).get("id").asText();
    }

    /** The trace ingest put on the image's ImageSubmitted event, for the hand-played stages to carry on. */
    static Trace traceOf(String id) {
        ConsumerRecord<String, byte[]> record = infra
                .records(infra.topics().submitted().name())
                .stream()
                .filter(r -> r.key().equals(id))
                .reduce((first, second) -> second)
                .orElseThrow();
        return EventSerdes.imageSubmitted()
                .deserialize(record.topic(), record.value())
                .getTrace();
    }

    static JsonNode statusOnceKnown(String id) throws InterruptedException {
        await("status of " + id, () -> http.get("/api/images/" + id).statusCode() == 200);
        return Http.json(http.get("/api/images/" + id));
    }

    static JsonNode awaitStatus(String id, String status) throws InterruptedException {
        await(id + " " + status, () -> {
            HttpResponse<byte[]> r = http.get("/api/images/" + id);
            return r.statusCode() == 200 && Http.json(r).get("status").asText().equals(status);
        });
        return Http.json(http.get("/api/images/" + id));
    }

    @Test
    void acceptsAPhotoStoresItAndQueuesIt() throws Exception {
        HttpResponse<byte[]> response = http.post(new Multipart()
                .file("group of three.jpg", photo)
                .field("faces", "false")
                .field("maxSide", "1024")
                .field("format", "jpeg")
                .field("debug", "true"));
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode images = Http.json(response).get("images");
        assertThat(images).hasSize(1);
        String id = images.get(0).get("id").asText();
        assertThat(images.get(0).get("name").asText()).isEqualTo("group of three.jpg");
        assertThat(images.get(0).get("style").asText()).isEqualTo("animeganv2-hayao");

        JsonNode status = statusOnceKnown(id);
        assertThat(status.get("status").asText()).isEqualTo("queued");
        assertThat(status.get("style").asText()).isEqualTo("animeganv2-hayao");
        assertThat(status.get("stage").asText()).isEqualTo("queued");
        assertThat(status.get("name").asText()).isEqualTo("group of three.jpg");
        assertThat(status.get("faces").isNull()).isTrue();
        assertThat(status.get("faceDetails")).isEmpty();
        assertThat(status.get("timings").has("ingest")).isTrue();
        assertThat(status.get("timings").has("total")).isFalse();

        ConsumerRecord<String, byte[]> record = infra
                .records(infra.topics().submitted().name())
                .stream()
                .filter(r -> r.key().equals(id))
                .findFirst()
                .orElseThrow();
        ImageSubmitted event = EventSerdes.imageSubmitted().deserialize(record.topic(), record.value());
        assertThat(event.getImageId()).isEqualTo(id);
        assertThat(event.getName()).isEqualTo("group of three.jpg");
        assertThat(event.getSource())
                .isEqualTo(new BlobRef(infra.config.storage().bucket(), "inputs/" + id + "/original"));
        assertThat(event.getSizeBytes()).isEqualTo(photo.length);
        assertThat(event.getOptions().getFaces()).isFalse();
        assertThat(event.getOptions().getMaxSide()).isEqualTo(1024);
        assertThat(event.getOptions().getFormat()).isEqualTo("jpeg");
        assertThat(event.getOptions().getDebug()).isTrue();
        assertThat(event.getOptions().getStyle())
                .as("the default style by its id")
                .isEqualTo("animeganv2-hayao");
        assertThat(event.getTrace().getTraceId()).as("a W3C trace id").matches("[0-9a-f]{32}");
        assertThat(TraceHeaders.traceId(record.headers()))
                .as("the record names ingest's span of the picture's trace")
                .contains(event.getTrace().getTraceId());
        assertThat(event.getTrace().getSubmittedAtMs())
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(event.getTrace().getStageMs()).containsOnlyKeys("ingest");

        assertThat(store.get(new BlobRef(infra.config.storage().bucket(), Keys.original(id))))
                .isEqualTo(photo);
    }

    @Test
    void acceptsSeveralFilesInOneRequest() throws Exception {
        HttpResponse<byte[]> response =
                http.post(new Multipart().file("a.jpg", photo).file("b.jpg", photo));
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode images = Http.json(response).get("images");
        assertThat(images).hasSize(2);
        assertThat(images.get(0).get("name").asText()).isEqualTo("a.jpg");
        assertThat(images.get(1).get("name").asText()).isEqualTo("b.jpg");
        assertThat(images.get(0).get("id").asText())
                .isNotEqualTo(images.get(1).get("id").asText());
        statusOnceKnown(images.get(1).get("id").asText());
    }

    @Test
    void refusesBadFilesWithoutStoringOrQueueingAnything() throws Exception {
        String topic = infra.topics().submitted().name();
        long offsetsBefore = infra.endOffsets(topic);
        int objectsBefore = infra.objects("inputs/").size();

        // A text file named like a photo, sent after a good photo: the whole request is refused.
        assertError(
                http.post(new Multipart()
                        .file("fine.jpg", photo)
                        .file("notes.jpg", "just some text".getBytes(StandardCharsets.UTF_8))),
                415,
                "notes.jpg");
        // Bytes over the configured limit (Content-Length within the request cap).
        byte[] big = Arrays.copyOf(photo, (int) MAX_UPLOAD + 1);
        assertError(http.post(new Multipart().file("big.jpg", big)), 413, "big.jpg");
        // A PNG header claiming more pixels than the pipeline decodes.
        assertError(
                http.post(new Multipart().file("bomb.png", UploadValidatorTest.pngHeader(20_000, 20_000))),
                413,
                "bomb.png");
        // A whole request over the cap, with and without Content-Length: refused by the handler or by Jetty.
        Multipart huge = new Multipart()
                .file(
                        "huge.jpg",
                        Arrays.copyOf(
                                photo,
                                (int) AdmissionLimits.filesBytes(
                                                MAX_UPLOAD, IngestSettings.DEFAULT_MAX_FILES_PER_REQUEST)
                                        + 1000));
        assertError(http.post(huge, false), 413);
        assertError(http.post(huge, true), 413);

        assertError(http.post(new Multipart().file("x.jpg", photo).field("maxSide", "63")), 400, "maxSide");
        assertError(http.post(new Multipart().file("x.jpg", photo).field("maxSide", "big")), 400, "maxSide");
        assertError(http.post(new Multipart().file("x.jpg", photo).field("faces", "maybe")), 400, "faces");
        assertError(http.post(new Multipart().file("x.jpg", photo).field("style", "shinkai")), 400, "style");
        assertError(http.post(new Multipart().file("x.jpg", photo).field("format", "gif")), 400, "format");
        assertError(http.post(new Multipart().field("style", "hayao")), 400, "file");
        assertError(http.post(new Multipart().part("file", null, photo)), 400, "file");
        assertError(http.postRaw("application/json", "{}".getBytes(StandardCharsets.UTF_8)), 400, "multipart");
        assertError(http.postRaw("multipart/form-data; boundary=zzz", "garbage".getBytes(StandardCharsets.UTF_8)), 400);

        assertThat(infra.endOffsets(topic)).isEqualTo(offsetsBefore);
        assertThat(infra.objects("inputs/")).hasSize(objectsBefore);
    }

    @Test
    void unknownImagesAre404AndResultsWaitForDone() throws Exception {
        assertError(http.get("/api/images/no-such-id"), 404, "no-such-id");
        assertError(http.get("/api/images/no-such-id/result"), 404);
        assertError(http.get("/api/images/no-such-id/overlay"), 404);

        String id = upload("wait.jpg", photo);
        statusOnceKnown(id);
        assertError(http.get("/api/images/" + id + "/result"), 409, "queued");
        assertError(http.get("/api/images/" + id + "/overlay"), 404, "overlay");
    }

    @Test
    void followsTheStagesToDone() throws Exception {
        String id = upload("family.jpg", photo);
        statusOnceKnown(id);
        Trace trace = traceOf(id);

        infra.produce(TestEvents.facesDetected(id, 3, 1200, 800, trace));
        JsonNode processing = awaitStatus(id, "processing");
        assertThat(processing.get("stage").asText()).isEqualTo("faces");
        assertThat(processing.get("faces").asInt()).isEqualTo(3);
        assertThat(processing.get("width").asInt()).isEqualTo(1200);
        assertThat(processing.get("height").asInt()).isEqualTo(800);
        assertThat(processing.get("faceDetails")).hasSize(3);
        JsonNode face = processing.get("faceDetails").get(0);
        assertThat(face.get("box")).hasSize(4);
        assertThat(face.get("box").get(2).floatValue()).isEqualTo(110f);
        assertThat(face.get("score").floatValue()).isEqualTo(0.9f);
        assertThat(face.get("regions").get(1).asText()).isEqualTo("hair");
        assertError(http.get("/api/images/" + id + "/result"), 409, "processing");

        byte[] result = "pretend this is a PNG".getBytes(StandardCharsets.UTF_8);
        BlobRef resultRef = store.put(Keys.result(id, "png"), result, "image/png");
        byte[] overlay = "pretend overlay".getBytes(StandardCharsets.UTF_8);
        BlobRef overlayRef = store.put(Keys.overlay(id), overlay, "image/png");
        ImageCompleted completed = TestEvents.completed(id, resultRef, "image/png", 3, 1024, 683, trace);
        completed.setOverlay(overlayRef);
        infra.produce(completed);

        JsonNode done = awaitStatus(id, "done");
        assertThat(done.get("stage").asText()).isEqualTo("done");
        assertThat(done.get("width").asInt()).isEqualTo(1024);
        assertThat(done.get("height").asInt()).isEqualTo(683);
        assertThat(done.get("error").isNull()).isTrue();
        JsonNode timings = done.get("timings");
        assertThat(timings.get("ingest").asLong()).isEqualTo(trace.getStageMs().get("ingest"));
        assertThat(timings.get("face").asLong()).isEqualTo(300);
        assertThat(timings.get("blend").asLong()).isEqualTo(400);
        assertThat(timings.get("total").asLong()).isGreaterThanOrEqualTo(300 + 2000 + 400);

        HttpResponse<byte[]> bytes = http.get("/api/images/" + id + "/result");
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(Http.contentType(bytes)).isEqualTo("image/png");
        assertThat(bytes.body()).isEqualTo(result);
        HttpResponse<byte[]> overlayBytes = http.get("/api/images/" + id + "/overlay");
        assertThat(overlayBytes.statusCode()).isEqualTo(200);
        assertThat(overlayBytes.body()).isEqualTo(overlay);

        // A late, out-of-order FacesDetected changes nothing: once a later record on its partition is
        // folded, the late one has been read too.
        infra.produce(TestEvents.facesDetected(id, 5, 4000, 3000, trace));
        String later = infra.onSamePartitionAs(id);
        infra.produce(TestEvents.facesDetected(later, 1, 640, 480, trace));
        await(
                "a later record on the partition folded",
                () -> server.statuses().find(later).isPresent());
        JsonNode after = Http.json(http.get("/api/images/" + id));
        assertThat(after.get("status").asText()).isEqualTo("done");
        assertThat(after.get("faces").asInt()).isEqualTo(3);
        assertThat(after.get("width").asInt()).isEqualTo(1024);
    }

    @Test
    void reportsFailuresAndTellsListeners() throws Exception {
        List<ImageStatus> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = server.statuses().subscribe(seen::add)) {
            String id = upload("broken.jpg", photo);
            statusOnceKnown(id);
            infra.produce(TestEvents.failed(
                    id, "face", "CORRUPT_IMAGE", "JPEG file is truncated (no end marker)", traceOf(id)));

            JsonNode failed = awaitStatus(id, "failed");
            assertThat(failed.get("error").asText())
                    .isEqualTo("face: CORRUPT_IMAGE: JPEG file is truncated (no end marker)");
            assertError(http.get("/api/images/" + id + "/result"), 409, "failed");

            // Events read out of order (completion before anything else) never move a status back.
            infra.produce(TestEvents.stylized(id, 1, 100, 100));
            String other = "out-of-order-" + id;
            infra.produce(TestEvents.completed(
                    other, new BlobRef(store.bucket(), Keys.result(other, "png")), "image/png", 1, 640, 480));
            infra.produce(TestEvents.facesDetected(other, 2, 2000, 1500));
            infra.produce(TestEvents.submitted(other, "late.jpg"));
            await(
                    "late name",
                    () -> server.statuses()
                            .find(other)
                            .map(s -> "late.jpg".equals(s.name()))
                            .orElse(false));
            JsonNode otherStatus = Http.json(http.get("/api/images/" + other));
            assertThat(otherStatus.get("status").asText()).isEqualTo("done");
            assertThat(otherStatus.get("width").asInt()).isEqualTo(640);
            assertThat(Http.json(http.get("/api/images/" + id)).get("status").asText())
                    .isEqualTo("failed");

            await(
                    "listener saw the failure",
                    () -> seen.stream().anyMatch(s -> s.id().equals(id) && s.phase() == ImageStatus.Phase.FAILED));
            assertThat(seen)
                    .filteredOn(s -> s.id().equals(id))
                    .extracting(ImageStatus::phase)
                    .containsSubsequence(ImageStatus.Phase.QUEUED, ImageStatus.Phase.FAILED);
        }
    }

    @Test
    void servesThePageAndHealth() {
        HttpResponse<byte[]> health = http.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Http.json(health).get("status").asText()).isEqualTo("ok");

        HttpResponse<byte[]> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(Http.contentType(page)).startsWith("text/html");
        assertThat(new String(page.body(), StandardCharsets.UTF_8))
                .contains("/app.js")
                .contains("/style.css");
        assertThat(http.get("/app.js").statusCode()).isEqualTo(200);
        assertThat(new String(http.get("/style.css").body(), StandardCharsets.UTF_8))
                .contains("#fffaf2")
                .contains("#f7c6d9");
    }
}
