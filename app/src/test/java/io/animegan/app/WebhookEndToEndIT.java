package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.animegan.app.TenantHttp.Answer;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.ingest.IngestSettings;
import io.animegan.submission.AdmissionLimits;
import io.animegan.video.PipelineClips;
import io.animegan.webhook.WebhookSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as {@code ./animegan run} starts it, with 127.0.0.1 on the webhook allow-list:
 * an upload, a job and a clip with a callbackUrl are called back (one call per picture, one per
 * job, one per clip), signed, and the picture's and the clip's statuses show the delivery.
 */
class WebhookEndToEndIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Call(String id, String timestamp, String signature, String body) {}

    @TempDir
    Path dataDir;

    @Test
    void picturesJobsAndClipsAreCalledBackSignedAndTheStatusShowsIt() throws Exception {
        List<Call> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        receiver.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            calls.add(new Call(
                    h.getFirst("webhook-id"),
                    h.getFirst("webhook-timestamp"),
                    h.getFirst("webhook-signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        CallbackPolicy policy = CallbackPolicy.allowing(List.of("127.0.0.1"));
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(
                dataDir,
                IngestSettings.defaults().withPort(0),
                AdmissionLimits.defaults().withCallbacks(policy),
                models,
                PipelineConfig.DEFAULT_GENERATOR,
                1,
                EnumSet.allOf(StageName.class),
                WebhookSettings.of(SECRET, policy, Duration.ofHours(1), Duration.ofSeconds(5), ""))) {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            TenantHttp http = new TenantHttp(pipeline.url(), null);
            Map<String, String> fields = Map.of("faces", "false", "maxSide", "160", "callbackUrl", hook);
            Answer single = http.upload("/api/images", "one.jpg", GeneratedPictures.jpeg(160, 120, 1), fields);
            assertThat(single.status()).as(single.body()).isEqualTo(202);
            String id = JSON.readTree(single.body())
                    .path("images")
                    .get(0)
                    .path("id")
                    .asText();
            Answer job = http.upload("/api/jobs", "two.jpg", GeneratedPictures.jpeg(160, 120, 2), fields);
            assertThat(job.status()).as(job.body()).isEqualTo(202);
            String jobId = JSON.readTree(job.body()).path("job").asText();
            String jobPicture =
                    JSON.readTree(job.body()).path("images").get(0).path("id").asText();
            // A few small frames: one segment, drawn quickly.
            byte[] clip = Files.readAllBytes(PipelineClips.withSound(dataDir.resolve("clip.mp4"), 64, 48, 12));
            Answer video = http.upload("/api/videos", "clip.mp4", clip, Map.of("callbackUrl", hook));
            assertThat(video.status()).as(video.body()).isEqualTo(202);
            String clipId =
                    JSON.readTree(video.body()).path("videos").get(0).path("id").asText();

            Awaitility.await()
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> calls.size() >= 4);
            assertThat(calls)
                    .extracting(Call::id)
                    .containsExactlyInAnyOrder(
                            "msg_image_completed_" + id,
                            "msg_image_completed_" + jobPicture,
                            "msg_job_completed_" + jobId,
                            "msg_video_completed_" + clipId);
            assertThat(calls).allMatch(WebhookEndToEndIT::verifies);
            JsonNode picture = JSON.readTree(calls.stream()
                    .filter(c -> c.id().endsWith(id))
                    .findFirst()
                    .orElseThrow()
                    .body());
            assertThat(picture.path("status").asText()).isEqualTo("done");
            assertThat(picture.path("resultUrl").asText()).isEqualTo("/api/images/" + id + "/result");

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> JSON.readTree(http.get("/api/images/" + id).body())
                            .path("callback")
                            .path("state")
                            .asText()
                            .equals("delivered"));
            JsonNode callback =
                    JSON.readTree(http.get("/api/images/" + id).body()).path("callback");
            assertThat(callback.path("attempts").asInt()).isEqualTo(1);
            assertThat(callback.path("lastStatus").asInt()).isEqualTo(204);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> JSON.readTree(http.get("/api/videos/" + clipId).body())
                            .path("callback")
                            .path("state")
                            .asText()
                            .equals("delivered"));
            JsonNode clipCallback =
                    JSON.readTree(http.get("/api/videos/" + clipId).body()).path("callback");
            assertThat(clipCallback.path("attempts").asInt()).isEqualTo(1);
            assertThat(clipCallback.path("lastStatus").asInt()).isEqualTo(204);
        } finally {
            receiver.stop(0);
        }
    }

    private static boolean verifies(Call call) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal(
                    (call.id() + "." + call.timestamp() + "." + call.body()).getBytes(StandardCharsets.UTF_8));
            return call.signature().equals("v1," + Base64.getEncoder().encodeToString(expected));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
