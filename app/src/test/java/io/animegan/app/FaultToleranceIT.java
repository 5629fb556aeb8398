package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.blend.BlendStageApp;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.testing.TopicRecords;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StylizeStageApp;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults an operator will meet, with the three stages as separate JVMs against one broker and one
 * S3 server that this test stops and restarts (same ports, same data): {@code kill -9} of each
 * stage, a 30 s storage outage and a broker restart, each in the middle of a batch. Every picture
 * must complete exactly once (counted with a read_committed consumer), none may fail, and every
 * result must be a picture. The seconds each fault took to recover are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class FaultToleranceIT {

    private static final int BATCH = 20;
    private static final int MAX_SIDE = 256;
    private static final String ACCESS_KEY = "animegan";
    private static final String PREFIX = "fault.";
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, String> APPLICATION_IDS = Map.of(
            "face",
            FaceStageApp.APPLICATION_ID,
            "stylize",
            StylizeStageApp.APPLICATION_ID,
            "blend",
            BlendStageApp.APPLICATION_ID);

    @TempDir
    static Path dir;

    private final String secret = UUID.randomUUID().toString();
    private final Map<String, AnimeganProcess> stages = new LinkedHashMap<>();
    private final Map<String, String> recoveries = new LinkedHashMap<>();
    private Topics topics;
    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;
    private int kafkaPort;
    private int s3Port;
    private BlobStore store;
    private KafkaProducer<String, ImageSubmitted> producer;
    private EventLog events;
    private byte[] photo;

    @BeforeAll
    void start() throws Exception {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        photo = halfSize(TestAssets.sampleBytes("group-of-three.jpg"));
        kafkaPort = InfraCommandIT.freePort();
        s3Port = InfraCommandIT.freePort();
        kafka = EmbeddedKafka.start(dir.resolve("data"), kafkaPort);
        s3 = EmbeddedS3.start(dir.resolve("data"), s3Port, ACCESS_KEY, secret);
        topics = Topics.withPrefix(PREFIX, 3, (short) 1);
        store = new BlobStore(new StorageConfig(s3.endpoint(), ACCESS_KEY, secret, "animegan", "us-east-1"));
        store.ensureBucket();
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), topics);
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                topics.submitted().valueSerde().serializer());
        events = new EventLog(kafka.bootstrapServers(), topics);

        Map<String, String> env =
                AnimeganProcess.stageEnv(kafka.bootstrapServers(), s3.endpoint(), ACCESS_KEY, secret, PREFIX, 3);
        for (String stage : APPLICATION_IDS.keySet().stream().sorted().toList()) {
            stages.put(stage, AnimeganProcess.stage(stage, dir, env, models));
        }
        // Warm-up: every stage has joined and loaded its models before the clock matters.
        List<String> warmUp = submit(1);
        awaitAll(warmUp, "warm-up");
    }

    @AfterAll
    void stop() throws Exception {
        for (AnimeganProcess stage : stages.values()) {
            stage.close();
        }
        if (events != null) {
            events.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        System.out.println("FAULT RECOVERY (restart of the failed part -> all " + BATCH + " pictures done):");
        recoveries.forEach((fault, figure) -> System.out.println("  " + fault + ": " + figure));
    }

    @Test
    @Order(1)
    void faceStageKilledMidBatchThenRestarted() throws Exception {
        killAndRestart("face", topics.facesDetected());
    }

    @Test
    @Order(2)
    void stylizeStageKilledMidBatchThenRestarted() throws Exception {
        killAndRestart("stylize", topics.stylized());
    }

    @Test
    @Order(3)
    void blendStageKilledMidBatchThenRestarted() throws Exception {
        killAndRestart("blend", topics.completed());
    }

    @Test
    @Order(4)
    void storageDownFor30SecondsMidBatch() throws Exception {
        List<String> ids = submit(BATCH);
        awaitProgress(topics.completed(), ids, 3);
        s3.close();
        // The stages wait out the outage: for its 30 s, no picture fails.
        Awaitility.await("storage down for 30 s, no picture failed")
                .during(Duration.ofSeconds(30))
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> events.failedCount(ids) == 0);
        s3 = EmbeddedS3.start(dir.resolve("data"), s3Port, ACCESS_KEY, secret);
        long restarted = System.nanoTime();
        awaitAll(ids, "S3 outage");
        recoveries.put("S3 down 30 s", seconds(restarted) + " s");
        assertExactlyOnceAndValid(ids);
    }

    @Test
    @Order(5)
    void brokerRestartedMidBatch() throws Exception {
        List<String> ids = submit(BATCH);
        awaitProgress(topics.completed(), ids, 3);
        kafka.close();
        kafka = EmbeddedKafka.start(dir.resolve("data"), kafkaPort);
        long restarted = System.nanoTime();
        awaitAll(ids, "broker restart");
        recoveries.put("broker restart", seconds(restarted) + " s");
        assertExactlyOnceAndValid(ids);
    }

    /**
     * Kills the stage while it is halfway through the batch, leaves behind what a kill inside its
     * commit window would (an open transaction under its transactional id, with records on every
     * partition of its output), restarts it and times the recovery. Were the open transaction only
     * aborted by its 300 s timeout, read_committed readers downstream would wait that long.
     */
    private void killAndRestart(String stage, Topic<?> output) throws Exception {
        List<String> ids = submit(BATCH);
        awaitProgress(output, ids, 5);
        AnimeganProcess process = stages.get(stage);
        process.kill();
        leaveOpenTransaction(stage, output);
        int done = events.completedCount(ids);
        process.restart();
        long restarted = System.nanoTime();
        long first = awaitCompletions(ids, done + 1 <= BATCH ? done + 1 : BATCH, restarted);
        awaitAll(ids, stage + " kill");
        recoveries.put(
                "kill -9 " + stage, seconds(restarted) + " s (first new completion after " + first / 1000.0 + " s)");
        assertExactlyOnceAndValid(ids);
    }

    private void leaveOpenTransaction(String stage, Topic<?> output) throws IOException {
        String applicationId = APPLICATION_IDS.get(stage);
        Path idFile =
                AnimeganProcess.stateDir(dir, stage).resolve(applicationId).resolve("instance-0.id");
        String transactionalId = applicationId + "-" + Files.readString(idFile).strip() + "-1";
        KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        300_000),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        zombie.initTransactions();
        zombie.beginTransaction();
        for (int partition = 0; partition < topics.partitions(); partition++) {
            zombie.send(new ProducerRecord<>(output.name(), partition, null, new byte[0]));
        }
        zombie.flush();
        zombie.close(Duration.ZERO); // a forced close leaves the transaction open, as kill -9 does
    }

    private List<String> submit(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Keys.newImageId());
        }
        return submit(ids);
    }

    private List<String> submit(List<String> ids) throws Exception {
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            BlobRef source = store.put(Keys.original(id), photo, "image/jpeg");
            ImageSubmitted event = ImageSubmitted.newBuilder()
                    .setImageId(id)
                    .setName("group-" + i + ".jpg")
                    .setSource(source)
                    .setSizeBytes(photo.length)
                    // Faces cost extra generator runs: one picture per batch keeps that path in play.
                    .setOptions(Options.newBuilder()
                            .setMaxSide(MAX_SIDE)
                            .setFaces(i == 0)
                            .build())
                    .setTrace(new Trace(UUID.randomUUID().toString(), System.currentTimeMillis(), Map.of()))
                    .build();
            producer.send(new ProducerRecord<>(topics.submitted().name(), id, event))
                    .get();
        }
        return ids;
    }

    /** New image ids, one on each partition (every stage keeps a picture's key, so its partition). */
    private List<String> onePerPartition() {
        Map<Integer, String> byPartition = new HashMap<>();
        while (byPartition.size() < topics.partitions()) {
            String id = Keys.newImageId();
            byPartition.putIfAbsent(
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % topics.partitions(), id);
        }
        return List.copyOf(byPartition.values());
    }

    /** Waits until {@code atLeast} of the batch are on the stage's output topic (it is mid-batch). */
    private void awaitProgress(Topic<?> output, List<String> ids, int atLeast) throws Exception {
        await(
                () -> events.seen(output.name(), ids) >= atLeast,
                BATCH_TIMEOUT,
                atLeast + " of the batch on " + output.name());
    }

    private void awaitAll(List<String> ids, String fault) throws Exception {
        await(
                () -> events.completedCount(ids) >= ids.size() || events.failedCount(ids) > 0,
                BATCH_TIMEOUT,
                "all pictures done after " + fault);
        assertThat(events.failedCount(ids)).as("failed pictures after " + fault).isZero();
    }

    /** Millis from {@code since} until {@code count} of the batch have completed. */
    private long awaitCompletions(List<String> ids, int count, long since) throws Exception {
        await(() -> events.completedCount(ids) >= count, BATCH_TIMEOUT, count + " completions");
        return (System.nanoTime() - since) / 1_000_000;
    }

    private void await(Supplier<Boolean> condition, Duration timeout, String what) throws IOException {
        System.out.printf("%tT waiting for %s%n", System.currentTimeMillis(), what);
        try {
            Awaitility.await(what)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (AnimeganProcess stage : stages.values()) {
                            if (!stage.isAlive()) {
                                throw new AssertionError(stage.name() + " exited\n" + logs());
                            }
                        }
                        return condition.get();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "\n" + logs(), e);
        }
    }

    /**
     * Exactly one ImageCompleted per picture, late duplicates included; each result decodes. A late
     * duplicate would come from a stage reading a partition again: once a picture submitted after
     * the batch on each partition has completed, every stage has read past the batch on every
     * partition, and the reader, which reads each partition in order, has seen all it wrote.
     */
    private void assertExactlyOnceAndValid(List<String> ids) throws Exception {
        awaitAll(submit(onePerPartition()), "the pictures after the batch");
        for (String id : ids) {
            List<ImageCompleted> completions = events.completions(id);
            assertThat(completions).as("ImageCompleted events for " + id).hasSize(1);
            BufferedImage result = ImageIO.read(
                    new ByteArrayInputStream(store.get(completions.get(0).getResult())));
            assertThat(result).as("result of " + id).isNotNull();
            assertThat(Math.max(result.getWidth(), result.getHeight())).isEqualTo(MAX_SIDE);
        }
        assertThat(events.failedCount(ids)).isZero();
    }

    private String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (AnimeganProcess stage : stages.values()) {
            all.append(stage.tail()).append('\n');
        }
        return all.toString();
    }

    private static String seconds(long sinceNanos) {
        return String.format("%.1f", (System.nanoTime() - sinceNanos) / 1e9);
    }

    /** The sample at half size: the faults are the point here, not the pixels. */
    private static byte[] halfSize(byte[] jpeg) throws IOException {
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage half = new BufferedImage(full.getWidth() / 2, full.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = half.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(full, 0, 0, half.getWidth(), half.getHeight(), null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(half, "jpg", out);
        return out.toByteArray();
    }

    /**
     * Everything committed on the stage topics, as a read_committed consumer sees it, read in the
     * background from the beginning (it rides out the broker restart by itself).
     */
    private static final class EventLog implements AutoCloseable {

        private final Map<String, Set<String>> seenByTopic = new ConcurrentHashMap<>();
        private final Map<String, List<ImageCompleted>> completed = new ConcurrentHashMap<>();
        private final Set<String> failed = ConcurrentHashMap.newKeySet();
        private final Topics topics;
        private final Thread reader;
        private volatile boolean running = true;

        EventLog(String bootstrapServers, Topics topics) {
            this.topics = topics;
            this.reader = new Thread(() -> read(bootstrapServers), "fault-test-events");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(String bootstrapServers) {
            try (KafkaConsumer<String, byte[]> consumer = TopicRecords.fromBeginning(
                    bootstrapServers,
                    Stream.of(topics.facesDetected(), topics.stylized(), topics.completed(), topics.failed())
                            .map(Topic::name)
                            .toList(),
                    new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.key() == null) {
                            continue;
                        }
                        seenByTopic
                                .computeIfAbsent(record.topic(), t -> ConcurrentHashMap.newKeySet())
                                .add(record.key());
                        if (record.topic().equals(topics.completed().name())) {
                            ImageCompleted event = topics.completed()
                                    .valueSerde()
                                    .deserializer()
                                    .deserialize(record.topic(), record.value());
                            completed
                                    .computeIfAbsent(
                                            record.key(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                    .add(event);
                        } else if (record.topic().equals(topics.failed().name())) {
                            failed.add(record.key());
                        }
                    }
                }
            }
        }

        int seen(String topic, List<String> ids) {
            Set<String> seen = seenByTopic.getOrDefault(topic, Set.of());
            return (int) ids.stream().filter(seen::contains).count();
        }

        int completedCount(List<String> ids) {
            return (int) ids.stream().filter(completed::containsKey).count();
        }

        int failedCount(List<String> ids) {
            return (int) ids.stream().filter(failed::contains).count();
        }

        List<ImageCompleted> completions(String id) {
            return completed.getOrDefault(id, List.of());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            reader.join(10_000);
        }
    }
}
