package io.animegan.ingest;

import static io.animegan.ingest.Http.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.common.config.Topic;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoSubmitted;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.TestVideoEvents;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.RateLimit;
import io.animegan.submission.VideoAdmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips through ingest on a real broker and S3: upload, the stored original and its
 * VideoSubmitted, status, event stream, preview and result (with byte ranges) as the video
 * stages' events arrive (written here, playing video-stage's part), and every bad input refused
 * with its code and nothing stored.
 */
class VideoRoutesIT {

    static final long MAX_CLIP_BYTES = 2L * 1024 * 1024;
    static final String TOKEN_A = "token-video-a";
    static final String TOKEN_B = "token-video-b";

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static BlobStore store;
    static Http http;
    static byte[] mp4;
    static byte[] webm;

    @BeforeAll
    static void start() throws Exception {
        mp4 = clip(dir.resolve("clip.mp4"), "mp4", "libopenh264", avcodec.AV_CODEC_ID_H264);
        webm = clip(dir.resolve("clip.webm"), "webm", "libvpx-vp9", avcodec.AV_CODEC_ID_VP9);
        infra = Infra.start(dir);
        IngestSettings settings = new IngestSettings(0, 1_000_000)
                .withRateLimit(RateLimit.OFF)
                .withApiTokens(List.of("video-a:" + TOKEN_A, "video-b:" + TOKEN_B));
        server = IngestServer.start(
                infra.config, settings, AdmissionLimits.defaults(), new VideoAdmission(MAX_CLIP_BYTES, 1280));
        store = new BlobStore(infra.config.storage());
        http = new Http(server.port(), TOKEN_A);
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

    /** A short moving gradient, written by the FFmpeg the video module uses. */
    static byte[] clip(Path file, String format, String codec, int codecId) throws Exception {
        int w = 160;
        int h = 96;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            recorder.setFormat(format);
            recorder.setVideoCodec(codecId);
            recorder.setVideoCodecName(codec);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(25);
            recorder.setVideoBitrate(400_000);
            if (codec.equals("libvpx-vp9")) {
                recorder.setVideoOption("deadline", "realtime");
                recorder.setVideoOption("cpu-used", "8");
            }
            recorder.start();
            ByteBuffer pixels = ByteBuffer.allocateDirect(w * h * 3);
            for (int i = 0; i < 20; i++) {
                for (int p = 0; p < w * h * 3; p++) {
                    pixels.put(p, (byte) ((p / 3 % w + i * 8) & 0xFF));
                }
                recorder.recordImage(w, h, Frame.DEPTH_UBYTE, 3, w * 3, avutil.AV_PIX_FMT_BGR24, pixels);
            }
            recorder.stop();
        }
        return Files.readAllBytes(file);
    }

    static String upload(Http client, String name, byte[] bytes, String... fields) {
        Multipart body = new Multipart().file(name, bytes);
        for (int i = 0; i < fields.length; i += 2) {
            body.field(fields[i], fields[i + 1]);
        }
        HttpResponse<byte[]> response = client.post("/api/videos", body);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        JsonNode videos = Http.json(response).get("videos");
        assertThat(videos).hasSize(1);
        assertThat(videos.get(0).get("name").asText()).isEqualTo(name);
        return videos.get(0).get("id").asText();
    }

    static JsonNode status(String id) {
        HttpResponse<byte[]> response = http.get("/api/videos/" + id);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return Http.json(response);
    }

    static JsonNode awaitStatus(String id, String field, String value) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> value.equals(status(id).path(field).asText()));
        return status(id);
    }

    static VideoTopics topics() {
        return infra.topics().videos();
    }

    static VideoSubmitted submitted(String id) {
        Topic<VideoSubmitted> topic = topics().submitted();
        return infra.records(topic.name()).stream()
                .filter(r -> r.key().equals(id))
                .map(ConsumerRecord::value)
                .map(bytes -> topic.valueSerde().deserializer().deserialize(topic.name(), bytes))
                .findFirst()
                .orElseThrow();
    }

    static BlobRef put(String key, byte[] bytes) {
        return store.put(key, bytes, "video/mp4");
    }

    @Test
    void aClipGoesFromUploadThroughItsSegmentsToAResultAPlayerCanSeek() throws Exception {
        String id = upload(http, "holiday.mp4", mp4, "style", "hayao", "fps", "24", "temporal", "off");

        // The original is stored as sent and announced, keyed by the video id.
        assertThat(infra.objects(Keys.inputsPrefix(id))).containsExactly(Keys.original(id));
        assertThat(store.get(new BlobRef(store.bucket(), Keys.original(id)))).isEqualTo(mp4);
        VideoSubmitted event = submitted(id);
        assertThat(event.getName()).isEqualTo("holiday.mp4");
        assertThat(event.getSizeBytes()).isEqualTo(mp4.length);
        assertThat(event.getSource().getKey()).isEqualTo(Keys.original(id));
        assertThat(event.getTenant()).isEqualTo("video-a");
        assertThat(event.getOptions().getStyle()).isEqualTo("animeganv2-hayao");
        assertThat(event.getOptions().getFps()).isEqualTo(24);
        assertThat(event.getOptions().getTemporal()).isFalse();
        assertThat(event.getOptions().getFaces()).isFalse();
        assertThat(event.getOptions().getMaxSide()).isEqualTo(1280);

        JsonNode queued = status(id);
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        assertThat(queued.get("name").asText()).isEqualTo("holiday.mp4");
        assertThat(queued.get("previewUrl").isNull()).isTrue();
        assertError(http.get("/api/videos/" + id + "/preview"), 404, "no preview yet");
        assertError(http.get("/api/videos/" + id + "/result"), 409, "not done");

        // Another tenant, and the image routes, know nothing of it.
        assertError(http.withToken(TOKEN_B).get("/api/videos/" + id), 404, "no video");
        assertError(http.get("/api/images/" + id), 404, "no image");

        List<String> streamed = follow("/api/videos/" + id + "/events");
        await().atMost(Duration.ofSeconds(10)).until(() -> streamed.stream().anyMatch(l -> l.contains("\"queued\"")));

        infra.produce(topics().planned(), id, TestVideoEvents.planned(id, 20, 2));
        JsonNode processing = awaitStatus(id, "status", "processing");
        assertThat(processing.get("frames").asInt()).isEqualTo(20);
        assertThat(processing.get("segments").asInt()).isEqualTo(2);
        assertThat(processing.get("framesDone").asInt()).isZero();

        BlobRef segment = put(Keys.videoSegment(id, 0), mp4);
        SegmentDrawn drawn = TestVideoEvents.drawn(id, 0, 2, 10, segment);
        infra.produce(topics().segmentsDrawn(), id, drawn);
        infra.produce(topics().segmentsDrawn(), id, drawn); // delivered again: counts once
        JsonNode half = awaitStatus(id, "framesDone", "10");
        assertThat(half.get("segmentsDone").asInt()).isEqualTo(1);
        assertThat(half.get("previewUrl").asText()).isEqualTo("/api/videos/" + id + "/preview");
        HttpResponse<byte[]> preview = http.get(half.get("previewUrl").asText());
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(Http.contentType(preview)).isEqualTo("video/mp4");
        assertThat(preview.body()).isEqualTo(mp4);
        HttpResponse<byte[]> head = http.get(half.get("previewUrl").asText(), "Range", "bytes=0-99");
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.headers().firstValue("Content-Range")).contains("bytes 0-99/" + mp4.length);
        assertThat(head.body()).isEqualTo(Arrays.copyOf(mp4, 100));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> streamed.stream().anyMatch(l -> l.contains("\"framesDone\":10")));
        assertThat(half.get("previewDraft").asBoolean()).isFalse();

        // The clip's own preview replaces the first drawn segment; it is not a segment.
        byte[] previewBytes = Arrays.copyOf(mp4, mp4.length / 2);
        SegmentDrawn ownPreview = TestVideoEvents.drawn(id, 0, 2, 15, put(Keys.videoPreview(id), previewBytes));
        ownPreview.setPreview(true);
        infra.produce(topics().segmentsDrawn(), id, ownPreview);
        JsonNode previewed = awaitStatus(id, "previewDraft", "true");
        assertThat(previewed.get("framesDone").asInt()).isEqualTo(10);
        assertThat(http.get(previewed.get("previewUrl").asText()).body()).isEqualTo(previewBytes);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> streamed.stream().anyMatch(l -> l.contains("\"previewDraft\":true")));

        byte[] result = webm; // any bytes stand for the assembled clip here
        put(Keys.result(id, "mp4"), result);
        VideoCompleted completed = TestVideoEvents.completed(
                id, new BlobRef(store.bucket(), Keys.result(id, "mp4")), 20, 2, result.length);
        infra.produce(topics().completed(), id, completed);
        JsonNode done = awaitStatus(id, "status", "done");
        assertThat(done.get("framesDone").asInt()).isEqualTo(20);
        assertThat(done.get("resultUrl").asText()).isEqualTo("/api/videos/" + id + "/result");
        assertThat(done.get("previewUrl").isNull()).isTrue();
        assertThat(done.get("hasAudio").asBoolean()).isTrue();
        assertThat(done.get("completedAt").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() -> streamed.stream().anyMatch(l -> l.contains("\"done\"")));
        assertThat(streamed).contains("HTTP 200", "event: video");

        String resultUrl = done.get("resultUrl").asText();
        HttpResponse<byte[]> whole = http.get(resultUrl);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.body()).isEqualTo(result);
        HttpResponse<byte[]> tail = http.get(resultUrl, "Range", "bytes=100-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("Content-Range"))
                .contains("bytes 100-" + (result.length - 1) + "/" + result.length);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(result, 100, result.length));
        HttpResponse<byte[]> last = http.get(resultUrl, "Range", "bytes=-50");
        assertThat(last.body()).isEqualTo(Arrays.copyOfRange(result, result.length - 50, result.length));
        HttpResponse<byte[]> beyond = http.get(resultUrl, "Range", "bytes=" + result.length + "-");
        assertError(beyond, 416, "range");
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + result.length);
        HttpResponse<byte[]> download = http.get(resultUrl + "?download=true");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment")
                .contains("holiday.anime.mp4");
        assertError(http.withToken(TOKEN_B).get(resultUrl), 404, "no video");
        HttpResponse<byte[]> previewAfter = http.get("/api/videos/" + id + "/preview", "Range", "bytes=0-99");
        assertThat(previewAfter.statusCode())
                .as("a player still showing the preview gets the finished clip")
                .isEqualTo(206);
        assertThat(previewAfter.body()).isEqualTo(Arrays.copyOf(result, 100));
    }

    @Test
    void aClipTheProbeRefusesShowsItsStageAndCode() throws Exception {
        String id = upload(http, "song.webm", webm);
        infra.produce(
                topics().failed(),
                id,
                TestVideoEvents.failed(id, "video", "NO_VIDEO_STREAM", "the file holds audio only"));
        JsonNode failed = awaitStatus(id, "status", "failed");
        assertThat(failed.get("error").get("stage").asText()).isEqualTo("video");
        assertThat(failed.get("error").get("code").asText()).isEqualTo("NO_VIDEO_STREAM");
        assertThat(failed.get("error").get("message").asText()).contains("audio only");
        assertError(http.get("/api/videos/" + id + "/result"), 409, "failed");
        // The next clip goes on as usual.
        assertThat(upload(http, "next.webm", webm)).isNotEqualTo(id);
    }

    @Test
    void badInputIsRefusedWithItsCodeAndNothingIsStored() throws Exception {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        long eventsBefore = infra.endOffsets(topics().submitted().name());
        List<String> inputsBefore = infra.objects("inputs/");

        HttpResponse<byte[]> aPhoto = http.post("/api/videos", new Multipart().file("photo.mp4", photo));
        assertError(aPhoto, 415, "/api/images");
        assertThat(Http.json(aPhoto).get("code").asText()).isEqualTo("UNSUPPORTED_VIDEO");
        HttpResponse<byte[]> text = http.post(
                "/api/videos", new Multipart().file("notes.mp4", "not a clip at all".getBytes(StandardCharsets.UTF_8)));
        assertError(text, 415, "MP4, MOV, MKV or WebM");
        assertThat(Http.json(text).get("code").asText()).isEqualTo("UNSUPPORTED_VIDEO");
        HttpResponse<byte[]> oneBad =
                http.post("/api/videos", new Multipart().file("good.mp4", mp4).file("bad.mp4", photo));
        assertError(oneBad, 415, "bad.mp4");

        byte[] big = Arrays.copyOf(mp4, (int) MAX_CLIP_BYTES + 1);
        HttpResponse<byte[]> tooBig = http.post("/api/videos", new Multipart().file("big.mp4", big));
        assertError(tooBig, 413);
        assertThat(Http.json(tooBig).get("code").asText()).isEqualTo("VIDEO_TOO_LARGE");

        HttpResponse<byte[]> clipAsPicture = http.post("/api/images", new Multipart().file("clip.jpg", mp4));
        assertError(clipAsPicture, 415, "/api/videos");
        assertThat(Http.json(clipAsPicture).get("code").asText()).isEqualTo("VIDEO_NOT_PICTURE");

        for (String[] field : new String[][] {
            {"fps", "0"}, {"fps", "61"}, {"temporal", "maybe"}, {"maxSide", "1281"}, {"faces", "yes"}, {"style", "nope"}
        }) {
            assertError(
                    http.post("/api/videos", new Multipart().file("a.mp4", mp4).field(field[0], field[1])),
                    400,
                    field[0].equals("style") ? "style" : field[0]);
        }
        assertError(http.post("/api/videos", new Multipart().field("style", "hayao")), 400, "file");
        assertError(http.get("/api/videos/no-such-clip"), 404, "no video");

        assertThat(infra.objects("inputs/")).isEqualTo(inputsBefore);
        assertThat(infra.endOffsets(topics().submitted().name())).isEqualTo(eventsBefore);

        // After every refusal a valid clip is accepted.
        String id = upload(http, "after.mp4", mp4);
        assertThat(infra.objects(Keys.inputsPrefix(id))).containsExactly(Keys.original(id));
    }

    @Test
    void clipsSpooledToDiskAreStoredWholeOncePerFileAndStyle() throws Exception {
        // Over the 1 MiB kept in memory, so the part is read back from the multipart parser's file.
        byte[] large = Arrays.copyOf(mp4, (int) (1.5 * 1024 * 1024));
        HttpResponse<byte[]> response = http.post(
                "/api/videos",
                new Multipart()
                        .file("large.mp4", large)
                        .file("small.webm", webm)
                        .field("style", "hayao,animeganv3-shinkai"));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        JsonNode videos = Http.json(response).get("videos");
        assertThat(videos).hasSize(4);
        for (JsonNode video : videos) {
            String id = video.get("id").asText();
            byte[] expected = video.get("name").asText().equals("large.mp4") ? large : webm;
            assertThat(store.get(new BlobRef(store.bucket(), Keys.original(id))))
                    .isEqualTo(expected);
            assertThat(submitted(id).getOptions().getStyle())
                    .isEqualTo(video.get("style").asText());
        }
        assertThat(videos.findValuesAsText("style"))
                .containsExactlyInAnyOrder(
                        "animeganv2-hayao", "animeganv3-shinkai", "animeganv2-hayao", "animeganv3-shinkai");
    }

    @Test
    void aPicturesIdIsNoClipAndAClipsIdNoPicture() {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        HttpResponse<byte[]> response = http.post(new Multipart().file("cat.jpg", photo));
        assertThat(response.statusCode()).isEqualTo(202);
        String imageId = Http.json(response).get("images").get(0).get("id").asText();
        assertError(http.get("/api/videos/" + imageId), 404, "no video");
    }

    /** Opens an event stream and collects its lines as they come. */
    static List<String> follow(String path) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TOKEN_A)
                .GET()
                .build();
        HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    lines.add("HTTP " + response.statusCode());
                    response.body().forEach(lines::add);
                });
        return lines;
    }
}
