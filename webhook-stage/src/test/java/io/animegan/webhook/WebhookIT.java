package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobCompleted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoSubmitted;
import io.animegan.events.WebhookDelivery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * webhook-stage as its own Kafka Streams application against a real broker, calling a receiver on
 * 127.0.0.1 (allowed by the allow-list): one signed call per picture, clip and job (each signed
 * with its tenant's secret), retries with the same webhook id, and everything delivered after a
 * receiver outage.
 */
class WebhookIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ACME_SECRET = WebhookTopologyTest.ACME_SECRET;
    static final String GLOBEX_SECRET = WebhookTopologyTest.GLOBEX_SECRET;

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static Topics topics;
    static KafkaProducer<String, byte[]> producer;
    static Receiver receiver;
    static StageRunner stage;
    static Deliveries deliveries;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        topics = Topics.withPrefix("it.images.", 2, (short) 1);
        // The stage reads no object: the storage settings are only there to complete the configuration.
        PipelineConfig config = new PipelineConfig(
                kafka.bootstrapServers(),
                topics,
                new StorageConfig("http://127.0.0.1:1", "unused", "unused-secret", "unused", "us-east-1"),
                dir.resolve("models"),
                PipelineConfig.DEFAULT_GENERATOR,
                0,
                dir.resolve("state"));
        TopicAdmin.ensureTopics(config);
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        receiver = Receiver.start(0);
        WebhookSettings settings = WebhookSettings.of(
                        SECRET,
                        CallbackPolicy.allowing(List.of("127.0.0.1")),
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(2),
                        "")
                .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofMillis(100))
                .withTenantSecrets(Map.of("acme", ACME_SECRET, "globex", GLOBEX_SECRET));
        stage = WebhookStageApp.create(config, settings).start();
        deliveries = new Deliveries(kafka.bootstrapServers());
        assertThat(stage.awaitRunning(Duration.ofSeconds(90)))
                .as("webhook stage running")
                .isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (deliveries != null) {
            deliveries.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void clear() {
        receiver.calls.clear();
    }

    /** What the stage wrote to the deliveries topic: the proof that it has moved on. */
    static final class Deliveries implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<WebhookDelivery> seen = new ArrayList<>();

        Deliveries(String bootstrap) {
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "webhook-it-" + UUID.randomUUID(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(List.of(topics.webhookDeliveries().name()));
        }

        boolean delivered(String... ids) {
            return all(ids, d -> d.getState().equals("delivered"));
        }

        boolean triedAndPending(String... ids) {
            return all(ids, d -> d.getState().equals("pending") && d.getAttempts() >= 1);
        }

        private boolean all(String[] ids, Predicate<WebhookDelivery> state) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(topics.webhookDeliveries().valueSerde().deserializer().deserialize(r.topic(), r.value()));
            }
            return Arrays.stream(ids)
                    .allMatch(id -> seen.stream().anyMatch(d -> d.getId().equals(id) && state.test(d)));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    @Test
    void oneSignedCallPerPictureAndOnePerJob() throws Exception {
        submit("job-a-1", "job-a");
        submit("job-a-2", "job-a");
        complete("job-a-1");
        complete("job-a-2");
        send(
                topics.jobsCompleted(),
                "job-a",
                new JobCompleted("job-a", 2, 2, 0, List.of("job-a-1", "job-a-2"), 1_000L, 4_000L, List.of()));

        // Once the stage has recorded all three as delivered, nothing is pending that could call again.
        await("three deliveries recorded", () -> deliveries.delivered("job-a-1", "job-a-2", "job-a"));
        assertThat(receiver.calls)
                .extracting(Receiver.Call::id)
                .containsExactlyInAnyOrder(
                        "msg_image_completed_job-a-1", "msg_image_completed_job-a-2", "msg_job_completed_job-a");
        assertThat(receiver.calls).allMatch(call -> call.verifies(SECRET));
        assertThat(receiver.calls).noneMatch(call -> call.verifies("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertThat(receiver.calls)
                .filteredOn(c -> c.id().startsWith("msg_image"))
                .allMatch(c -> c.json().get("job").asText().equals("job-a"));
    }

    @Test
    void fiveHundredThreeTimesThenOkIsDeliveredOnTheFourthAttemptWithTheSameId() throws Exception {
        receiver.answer(500, 500, 500);
        submit("flaky", null);
        complete("flaky");

        await("the delivery recorded", () -> deliveries.delivered("flaky"));
        assertThat(receiver.calls).hasSize(4);
        assertThat(receiver.calls).extracting(Receiver.Call::id).containsOnly("msg_image_completed_flaky");
        assertThat(receiver.calls).allMatch(call -> call.verifies(SECRET));
    }

    @Test
    void aReceiverDownForTheOutageWindowGetsEverythingAfterwards() throws Exception {
        receiver.stop();
        long downSince = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            submit("outage-" + i, null);
            complete("outage-" + i);
        }
        // The receiver comes back only after the stage has tried each call and been refused at least once.
        await(
                "an attempt at each call during the outage",
                () -> deliveries.triedAndPending("outage-0", "outage-1", "outage-2", "outage-3"));
        receiver.start();
        long upAfterMs = (System.nanoTime() - downSince) / 1_000_000;

        await(
                "every call after the outage",
                () -> receiver.calls.stream().map(Receiver.Call::id).distinct().count() >= 4);
        assertThat(receiver.calls.stream().map(Receiver.Call::id).distinct())
                .containsExactlyInAnyOrder(
                        "msg_image_completed_outage-0",
                        "msg_image_completed_outage-1",
                        "msg_image_completed_outage-2",
                        "msg_image_completed_outage-3");
        assertThat(receiver.calls).allMatch(call -> call.verifies(SECRET));
        System.out.printf("receiver down for %d ms; all %d callbacks received afterwards%n", upAfterMs, 4);
    }

    @Test
    void clipsAreCalledBackOncePerClipSignedWithTheirTenantsSecret() throws Exception {
        try (Receiver globex = Receiver.start(0)) {
            submitVideo("clip-acme", receiver.url(), "acme");
            submitVideo("clip-globex", globex.url(), "globex");
            send(topics.videos().completed(), "clip-acme", WebhookTopologyTest.videoCompleted("clip-acme"));
            send(
                    topics.videos().failed(),
                    "clip-globex",
                    new VideoFailed(
                            "clip-globex", "plan", "CORRUPT_VIDEO", "no video stream", new Trace("t", 1L, Map.of())));

            await("both clips' deliveries recorded", () -> deliveries.delivered("clip-acme", "clip-globex"));
            assertThat(receiver.calls).singleElement().satisfies(call -> {
                assertThat(call.id()).isEqualTo("msg_video_completed_clip-acme");
                assertThat(call.verifies(ACME_SECRET)).as("acme's own secret").isTrue();
                assertThat(call.verifies(GLOBEX_SECRET)).as("globex's secret").isFalse();
                assertThat(call.json().get("kind").asText()).isEqualTo("video");
                assertThat(call.json().get("resultUrl").asText()).isEqualTo("/api/videos/clip-acme/result");
                assertThat(call.json().get("frames").asInt()).isEqualTo(48);
            });
            assertThat(globex.calls).singleElement().satisfies(call -> {
                assertThat(call.id()).isEqualTo("msg_video_failed_clip-globex");
                assertThat(call.verifies(GLOBEX_SECRET))
                        .as("globex's own secret")
                        .isTrue();
                assertThat(call.verifies(ACME_SECRET)).as("acme's secret").isFalse();
                assertThat(call.json().get("error").get("code").asText()).isEqualTo("CORRUPT_VIDEO");
            });
        }
    }

    private static void submitVideo(String id, String callbackUrl, String tenant) throws Exception {
        send(
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

    private static void submit(String id, String jobId) throws Exception {
        send(
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
                        .setJobSize(jobId == null ? 0 : 2)
                        .setCallbackUrl(receiver.url())
                        .build());
    }

    private static void complete(String id) throws Exception {
        send(
                topics.completed(),
                id,
                ImageCompleted.newBuilder()
                        .setImageId(id)
                        .setResult(new BlobRef("b", "results/" + id + ".png"))
                        .setContentType("image/png")
                        .setWidth(8)
                        .setHeight(8)
                        .setFaceCount(0)
                        .setFaces(List.of())
                        .setCompletedAtMs(2_000L)
                        .setOptions(Options.newBuilder().build())
                        .setTrace(new Trace("t", 1_000L, Map.of("blend", 5L)))
                        .build());
    }

    private static <V> void send(Topic<V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(
                        topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)))
                .get();
    }

    private static void await(String what, BooleanSupplier condition) {
        try {
            Awaitility.await(what)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; calls: " + receiver.calls, e);
        }
    }
}
