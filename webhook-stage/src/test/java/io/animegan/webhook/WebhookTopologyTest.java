package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobCompleted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoSubmitted;
import io.animegan.events.WebhookDelivery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology against a local receiver, no broker: pairing, payloads, signatures, retries. */
class WebhookTopologyTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ACME_SECRET = "whsec_YWNtZS1zaWducy13aXRoLWl0cy1vd24ta2V5";
    static final String GLOBEX_SECRET = "whsec_Z2xvYmV4LWhhcy1hbm90aGVyLW9uZS1lbnRpcmVseQ==";
    static final Duration TICK = Duration.ofMillis(100);

    private final Topics topics = Topics.withPrefix("t.images.", 1, (short) 1);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Receiver receiver;
    private WebhookSender sender;
    private TopologyTestDriver driver;

    @TempDir
    Path state;

    @BeforeEach
    void start() throws Exception {
        receiver = Receiver.start(0);
        start(CallbackPolicy.allowing(List.of("127.0.0.1")), Duration.ofHours(24));
    }

    private void start(CallbackPolicy policy, Duration retryFor) {
        WebhookSettings settings = WebhookSettings.of(
                        SECRET, policy, retryFor, Duration.ofSeconds(2), "https://anime.example.org/")
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), TICK)
                .withTenantSecrets(Map.of("acme", ACME_SECRET, "globex", GLOBEX_SECRET));
        sender = new WebhookSender(settings);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "webhook-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Its own state directory: the default one is shared by every build on the machine.
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(
                WebhookTopology.build(topics, settings, sender, new WebhookMetrics(meters)), props);
    }

    @AfterEach
    void stop() {
        driver.close();
        sender.close();
        receiver.close();
    }

    @Test
    void aCompletedPictureIsCalledBackOnceSigned() {
        submit("img-1", receiver.url(), null, 0);
        pipe(topics.completed(), "img-1", completed("img-1"));
        tick();
        tick();

        assertThat(receiver.calls).hasSize(1);
        Receiver.Call call = receiver.calls.get(0);
        assertThat(call.id()).isEqualTo("msg_image_completed_img-1");
        assertThat(Long.parseLong(call.timestamp())).isPositive();
        assertThat(call.verifies(SECRET)).isTrue();
        assertThat(call.verifies("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .as("a wrong secret")
                .isFalse();
        var json = call.json();
        assertThat(json.get("type").asText()).isEqualTo("image.completed");
        assertThat(json.get("id").asText()).isEqualTo("img-1");
        assertThat(json.get("status").asText()).isEqualTo("done");
        assertThat(json.get("style").asText()).isEqualTo("animeganv3-shinkai");
        assertThat(json.get("resultUrl").asText()).isEqualTo("https://anime.example.org/api/images/img-1/result");
        assertThat(json.get("timings").get("total").asLong()).isEqualTo(1_500);
        assertThat(json.get("timings").get("blend").asLong()).isEqualTo(40);
        assertThat(json.has("error")).isFalse();
        assertThat(delivered("delivered")).isEqualTo(1);
    }

    @Test
    void aFailedPictureCarriesItsErrorAndTheStyleAskedFor() {
        pipe(
                topics.failed(),
                "img-2",
                new ImageFailed(
                        "img-2",
                        "face",
                        "CORRUPT_IMAGE",
                        "cannot decode",
                        new Trace("t", 1_000L, Map.of("ingest", 3L))));
        submit("img-2", receiver.url(), null, 0); // read after its outcome: still paired
        tick();

        assertThat(receiver.calls).hasSize(1);
        var json = receiver.calls.get(0).json();
        assertThat(receiver.calls.get(0).id()).isEqualTo("msg_image_failed_img-2");
        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("style").asText()).isEqualTo("hayao");
        assertThat(json.get("error").get("code").asText()).isEqualTo("CORRUPT_IMAGE");
        assertThat(json.get("error").get("stage").asText()).isEqualTo("face");
    }

    @Test
    void picturesWithoutACallbackAreNotCalledBack() {
        submit("img-3", null, null, 0);
        pipe(topics.completed(), "img-3", completed("img-3"));
        tick();
        assertThat(receiver.calls).isEmpty();
        assertThat(driver.getKeyValueStore(CallbackJoin.Stores.IMAGES.callbacks())
                        .get("img-3"))
                .as("paired, gone")
                .isNull();
    }

    @Test
    void aJobCallsBackOncePerPictureAndOnceWhenFinished() {
        submit("a", receiver.url(), "job-1", 2);
        submit("b", receiver.url(), "job-1", 2);
        pipe(topics.completed(), "a", completed("a"));
        pipe(topics.failed(), "b", new ImageFailed("b", "stylize", "MODEL_ERROR", "x", new Trace("t", 1L, Map.of())));
        pipe(
                topics.jobsCompleted(),
                "job-1",
                new JobCompleted("job-1", 2, 1, 1, List.of("a", "b"), 1_000L, 9_000L, List.of()));
        tick();

        assertThat(receiver.calls)
                .extracting(Receiver.Call::id)
                .containsExactlyInAnyOrder("msg_image_completed_a", "msg_image_failed_b", "msg_job_completed_job-1");
        assertThat(receiver.calls).allMatch(call -> call.verifies(SECRET));
        var job = receiver.calls.stream()
                .filter(c -> c.id().startsWith("msg_job"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("done").asInt()).isEqualTo(1);
        assertThat(job.get("failed").asInt()).isEqualTo(1);
        assertThat(job.get("timings").get("total").asLong()).isEqualTo(8_000);
        assertThat(job.has("videos")).as("a job without clips lists none").isFalse();
        var picture = receiver.calls.stream()
                .filter(c -> c.id().equals("msg_image_completed_a"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(picture.get("job").asText()).isEqualTo("job-1");
    }

    @Test
    void eachTenantsCallsAreSignedWithItsOwnSecret() throws Exception {
        try (Receiver globex = Receiver.start(0)) {
            submit("acme-1", receiver.url(), null, 0, "acme");
            submit("globex-1", globex.url(), null, 0, "globex");
            submit("other-1", receiver.url(), null, 0, "initech");
            pipe(topics.completed(), "acme-1", completed("acme-1"));
            pipe(topics.completed(), "globex-1", completed("globex-1"));
            pipe(topics.completed(), "other-1", completed("other-1"));
            tick();

            assertThat(receiver.calls)
                    .extracting(Receiver.Call::id)
                    .containsExactlyInAnyOrder("msg_image_completed_acme-1", "msg_image_completed_other-1");
            Receiver.Call acme = call("msg_image_completed_acme-1");
            assertThat(acme.verifies(ACME_SECRET)).as("acme's own secret").isTrue();
            assertThat(acme.verifies(GLOBEX_SECRET)).as("globex's secret").isFalse();
            assertThat(acme.verifies(SECRET)).as("the service's secret").isFalse();
            assertThat(globex.calls).singleElement().satisfies(call -> {
                assertThat(call.verifies(GLOBEX_SECRET))
                        .as("globex's own secret")
                        .isTrue();
                assertThat(call.verifies(ACME_SECRET)).as("acme's secret").isFalse();
            });
            assertThat(call("msg_image_completed_other-1").verifies(SECRET))
                    .as("a tenant without a secret of its own: the service's")
                    .isTrue();
        }
    }

    @Test
    void aJobIsSignedWithItsTenantsSecret() {
        submit("j-a", receiver.url(), "job-acme", 1, "acme");
        pipe(topics.completed(), "j-a", completed("j-a"));
        pipe(
                topics.jobsCompleted(),
                "job-acme",
                new JobCompleted("job-acme", 2, 2, 0, List.of("j-a"), 1L, 2L, List.of("j-clip")));
        tick();

        assertThat(receiver.calls)
                .extracting(Receiver.Call::id)
                .containsExactlyInAnyOrder("msg_image_completed_j-a", "msg_job_completed_job-acme");
        assertThat(receiver.calls).allMatch(call -> call.verifies(ACME_SECRET));
        var job = receiver.calls.stream()
                .filter(c -> c.id().startsWith("msg_job"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(job.get("images").toString()).isEqualTo("[\"j-a\"]");
        assertThat(job.get("videos").toString()).isEqualTo("[\"j-clip\"]");
    }

    @Test
    void aCompletedClipIsCalledBackOnceSignedWithItsFramesAndDuration() {
        submitVideo("vid-1", receiver.url(), "acme");
        pipe(topics.videos().completed(), "vid-1", videoCompleted("vid-1"));
        tick();
        tick();

        assertThat(receiver.calls).hasSize(1);
        Receiver.Call call = receiver.calls.get(0);
        assertThat(call.id()).isEqualTo("msg_video_completed_vid-1");
        assertThat(call.verifies(ACME_SECRET)).isTrue();
        assertThat(call.verifies(SECRET)).isFalse();
        var json = call.json();
        assertThat(json.get("type").asText()).isEqualTo("video.completed");
        assertThat(json.get("kind").asText()).isEqualTo("video");
        assertThat(json.get("id").asText()).isEqualTo("vid-1");
        assertThat(json.get("status").asText()).isEqualTo("done");
        assertThat(json.get("style").asText()).isEqualTo("animeganv3-shinkai");
        assertThat(json.get("resultUrl").asText()).isEqualTo("https://anime.example.org/api/videos/vid-1/result");
        assertThat(json.get("frames").asInt()).isEqualTo(48);
        assertThat(json.get("durationSeconds").asDouble()).isEqualTo(2.0);
        assertThat(json.get("timings").get("total").asLong()).isEqualTo(9_000);
        assertThat(json.get("timings").get("stylize").asLong()).isEqualTo(7_000);
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void aFailedClipCarriesItsErrorAndTheStyleAskedFor() {
        pipe(
                topics.videos().failed(),
                "vid-2",
                new VideoFailed("vid-2", "plan", "CORRUPT_VIDEO", "no video stream", new Trace("t", 1_000L, Map.of())));
        submitVideo("vid-2", receiver.url(), "anonymous"); // read after its outcome: still paired
        submitVideo("vid-3", null, "anonymous");
        pipe(
                topics.videos().failed(),
                "vid-3",
                new VideoFailed("vid-3", "plan", "TOO_LONG", "too long", new Trace("t", 1_000L, Map.of())));
        tick();

        assertThat(receiver.calls).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("msg_video_failed_vid-2");
            assertThat(call.verifies(SECRET)).isTrue();
            var json = call.json();
            assertThat(json.get("kind").asText()).isEqualTo("video");
            assertThat(json.get("status").asText()).isEqualTo("failed");
            assertThat(json.get("style").asText()).isEqualTo("hayao");
            assertThat(json.get("error").get("code").asText()).isEqualTo("CORRUPT_VIDEO");
            assertThat(json.get("error").get("stage").asText()).isEqualTo("plan");
            assertThat(json.has("resultUrl")).isFalse();
        });
    }

    @Test
    void failedAttemptsAreRetriedWithTheSameIdUntilA2xx() {
        receiver.answer(500, 500, 500);
        submit("img-4", receiver.url(), null, 0);
        pipe(topics.completed(), "img-4", completed("img-4"));
        for (int i = 0; i < 200 && receiver.calls.size() < 4; i++) {
            tick();
        }
        tick();
        tick();

        assertThat(receiver.calls).hasSize(4);
        assertThat(receiver.calls).extracting(Receiver.Call::id).containsOnly("msg_image_completed_img-4");
        assertThat(receiver.calls).allMatch(call -> call.verifies(SECRET));
        assertThat(receiver.calls.stream().map(Receiver.Call::body).distinct()).hasSize(1);
        assertThat(delivered("delivered")).isEqualTo(1);
        var changes = driver.createOutputTopic(
                        topics.webhookDeliveries().name(),
                        topics.webhookDeliveries().keySerde().deserializer(),
                        topics.webhookDeliveries().valueSerde().deserializer())
                .readValuesToList();
        assertThat(changes)
                .extracting(WebhookDelivery::getState)
                .containsExactly("pending", "pending", "pending", "delivered");
        assertThat(changes).extracting(WebhookDelivery::getAttempts).containsExactly(1, 2, 3, 4);
        assertThat(changes).extracting(WebhookDelivery::getLastStatus).containsExactly(500, 500, 500, 200);
        assertThat(changes)
                .allMatch(c -> c.getId().equals("img-4")
                        && c.getType().equals("image.completed")
                        && c.getWebhookId().equals("msg_image_completed_img-4"));
        try (var pending =
                driver.getKeyValueStore(CallbackJoin.Stores.IMAGES.deliveries()).all()) {
            assertThat(pending.hasNext()).as("nothing left to deliver").isFalse();
        }
    }

    @Test
    void a410StopsTheRetries() {
        receiver.answer(410);
        submit("img-5", receiver.url(), null, 0);
        pipe(topics.completed(), "img-5", completed("img-5"));
        for (int i = 0; i < 50; i++) {
            tick();
        }
        assertThat(receiver.calls).hasSize(1);
        assertThat(delivered("gone")).isEqualTo(1);
    }

    @Test
    void retriesEndWhenTheWindowIsUsedUp() {
        driver.close();
        sender.close();
        start(CallbackPolicy.allowing(List.of("127.0.0.1")), Duration.ofSeconds(5));
        receiver.answer(500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
        submit("img-6", receiver.url(), null, 0);
        pipe(topics.completed(), "img-6", completed("img-6"));
        for (int i = 0; i < 200; i++) {
            tick();
        }
        assertThat(receiver.calls.size()).isBetween(2, 5);
        assertThat(delivered("failed")).isEqualTo(1);
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingAfterwards() throws Exception {
        receiver.stop();
        for (int i = 0; i < 5; i++) {
            submit("out-" + i, receiver.url(), null, 0);
            pipe(topics.completed(), "out-" + i, completed("out-" + i));
        }
        for (int i = 0; i < 30; i++) {
            tick();
        }
        receiver.start();
        for (int i = 0; i < 200 && receiver.calls.size() < 5; i++) {
            tick();
        }
        assertThat(receiver.calls)
                .extracting(Receiver.Call::id)
                .containsExactlyInAnyOrder(
                        "msg_image_completed_out-0",
                        "msg_image_completed_out-1",
                        "msg_image_completed_out-2",
                        "msg_image_completed_out-3",
                        "msg_image_completed_out-4");
    }

    @Test
    void aCallbackThePolicyRefusesNowIsNeverConnected() {
        driver.close();
        sender.close();
        start(CallbackPolicy.STRICT, Duration.ofHours(24));
        submit("img-7", receiver.url(), null, 0);
        submit("img-8", "http://localhost:" + receiver.port() + "/hook", null, 0);
        pipe(topics.completed(), "img-7", completed("img-7"));
        pipe(topics.completed(), "img-8", completed("img-8"));
        for (int i = 0; i < 20; i++) {
            tick();
        }
        assertThat(receiver.calls).isEmpty();
        assertThat(delivered("failed")).isEqualTo(2);
        var changes = driver.createOutputTopic(
                        topics.webhookDeliveries().name(),
                        topics.webhookDeliveries().keySerde().deserializer(),
                        topics.webhookDeliveries().valueSerde().deserializer())
                .readValuesToList();
        assertThat(changes).extracting(WebhookDelivery::getState).containsOnly("failed");
        assertThat(changes).extracting(WebhookDelivery::getLastStatus).containsOnlyNulls();
    }

    private void tick() {
        driver.advanceWallClockTime(TICK.multipliedBy(5));
    }

    private double delivered(String outcome) {
        var counter =
                meters.find(WebhookMetrics.DELIVERIES).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private Receiver.Call call(String webhookId) {
        return receiver.calls.stream()
                .filter(c -> c.id().equals(webhookId))
                .findFirst()
                .orElseThrow();
    }

    private void submit(String id, String callbackUrl, String jobId, int jobSize) {
        submit(id, callbackUrl, jobId, jobSize, "anonymous");
    }

    private void submit(String id, String callbackUrl, String jobId, int jobSize, String tenant) {
        pipe(
                topics.submitted(),
                id,
                ImageSubmitted.newBuilder()
                        .setImageId(id)
                        .setName(id + ".jpg")
                        .setSource(new BlobRef("b", "inputs/" + id))
                        .setSizeBytes(10)
                        .setOptions(Options.newBuilder().build())
                        .setTrace(new Trace("t", 1_000L, Map.of()))
                        .setJobId(jobId)
                        .setJobSize(jobSize)
                        .setTenant(tenant)
                        .setCallbackUrl(callbackUrl)
                        .build());
    }

    private void submitVideo(String id, String callbackUrl, String tenant) {
        pipe(
                topics.videos().submitted(),
                id,
                VideoSubmitted.newBuilder()
                        .setVideoId(id)
                        .setName(id + ".mp4")
                        .setSource(new BlobRef("b", "inputs/" + id))
                        .setSizeBytes(10)
                        .setOptions(VideoOptions.newBuilder().build())
                        .setTrace(new Trace("t", 1_000L, Map.of()))
                        .setTenant(tenant)
                        .setCallbackUrl(callbackUrl)
                        .build());
    }

    static VideoCompleted videoCompleted(String id) {
        return VideoCompleted.newBuilder()
                .setVideoId(id)
                .setResult(new BlobRef("b", "results/" + id + ".mp4"))
                .setContentType("video/mp4")
                .setWidth(64)
                .setHeight(36)
                .setFrames(48)
                .setSegments(1)
                .setDurationSeconds(2.0)
                .setHasAudio(false)
                .setStyle("animeganv3-shinkai")
                .setOptions(
                        VideoOptions.newBuilder().setStyle("animeganv3-shinkai").build())
                .setCompletedAtMs(10_000L)
                .setTrace(new Trace("t", 1_000L, Map.of("stylize", 7_000L)))
                .build();
    }

    private static ImageCompleted completed(String id) {
        return ImageCompleted.newBuilder()
                .setImageId(id)
                .setResult(new BlobRef("b", "results/" + id + ".png"))
                .setContentType("image/png")
                .setWidth(8)
                .setHeight(8)
                .setFaceCount(0)
                .setFaces(List.of())
                .setCompletedAtMs(2_500L)
                .setStyle("animeganv3-shinkai")
                .setOptions(Options.newBuilder().setStyle("animeganv3-shinkai").build())
                .setTrace(new Trace("t", 1_000L, Map.of("ingest", 3L, "blend", 40L)))
                .build();
    }

    private <V> void pipe(Topic<V> topic, String key, V value) {
        TestInputTopic<String, V> input = driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
        input.pipeInput(key, value);
    }
}
