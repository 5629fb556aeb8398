package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of webhook-stage while its call is in flight: the stage started again (same state
 * directory, so the same transactional id fences the killed one's open transaction) calls again
 * with the same webhook-id, and the receiver gets the webhook.
 */
class WebhookKillIT {

    @TempDir
    Path dir;

    @Test
    void aStageKilledMidDeliveryDeliversAgainWithTheSameId() throws Exception {
        Topics topics = Topics.withPrefix("kill.images.", 2, (short) 1);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                Receiver receiver = Receiver.start(0);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), topics);
            Path state = dir.resolve("state");
            receiver.holdMs = 20_000; // the first call hangs: the stage is inside it when killed
            Process first = startStage(kafka.bootstrapServers(), state);
            send(
                    producer,
                    topics.submitted(),
                    "k1",
                    ImageSubmitted.newBuilder()
                            .setImageId("k1")
                            .setName("k1.jpg")
                            .setSource(new BlobRef("b", "inputs/k1"))
                            .setSizeBytes(10)
                            .setOptions(Options.newBuilder().build())
                            .setTrace(new Trace("t", 1_000L, Map.of()))
                            .setCallbackUrl(receiver.url())
                            .build());
            send(
                    producer,
                    topics.completed(),
                    "k1",
                    ImageCompleted.newBuilder()
                            .setImageId("k1")
                            .setResult(new BlobRef("b", "results/k1.png"))
                            .setContentType("image/png")
                            .setWidth(8)
                            .setHeight(8)
                            .setFaceCount(0)
                            .setFaces(List.of())
                            .setCompletedAtMs(2_000L)
                            .setOptions(Options.newBuilder().build())
                            .setTrace(new Trace("t", 1_000L, Map.of()))
                            .build());
            await("the first call, in flight", () -> receiver.calls.size() >= 1, receiver);
            long killedAt = System.nanoTime();
            first.destroyForcibly(); // SIGKILL: no close, no commit
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            receiver.holdMs = 0;

            Process second = startStage(kafka.bootstrapServers(), state);
            try {
                await("the call made again", () -> receiver.calls.size() >= 2, receiver);
                System.out.printf(
                        "killed mid-delivery; delivered again %d ms after the kill%n",
                        (System.nanoTime() - killedAt) / 1_000_000);
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(receiver.calls).extracting(Receiver.Call::id).containsOnly("msg_image_completed_k1");
            assertThat(receiver.calls).allMatch(call -> call.verifies(WebhookIT.SECRET));
            assertThat(receiver.calls.stream().map(Receiver.Call::body).distinct())
                    .hasSize(1);
        }
    }

    private static Process startStage(String bootstrap, Path state) throws Exception {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        WebhookStageProcess.class.getName(),
                        bootstrap,
                        state.toString())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("RUNNING")) {
                        running.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                running.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        running.get(150, TimeUnit.SECONDS);
        return process;
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<V> topic, String key, V value)
            throws Exception {
        producer.send(new ProducerRecord<>(
                        topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)))
                .get();
    }

    private static void await(String what, BooleanSupplier condition, Receiver receiver) {
        try {
            Awaitility.await(what)
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; calls: " + receiver.calls, e);
        }
    }
}
