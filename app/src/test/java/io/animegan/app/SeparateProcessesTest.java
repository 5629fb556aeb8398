package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.SharedFiles;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.face.FaceStageApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three stages as three separate JVMs, configured only by command line and environment. */
class SeparateProcessesTest {

  private static final String ACCESS_KEY = "animegan";

  @Test
  void threeStageProcessesCompleteAnImageThroughOneBrokerAndOneS3Server(@TempDir Path dir) throws Exception {
    SharedFiles.requireModel(FaceStageApp.DETECTOR_MODEL);
    Path models = SharedFiles.requireModel(PipelineConfig.DEFAULT_GENERATOR);
    String secret = UUID.randomUUID().toString();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"), 0);
         EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, secret)) {
      Topics topics = Topics.withPrefix("multi.", 2, (short) 1);
      PipelineConfig config = new PipelineConfig(kafka.bootstrapServers(), topics,
          new StorageConfig(s3.endpoint(), ACCESS_KEY, secret, "animegan", "us-east-1"),
          models, PipelineConfig.DEFAULT_GENERATOR, 1, dir.resolve("state"));
      BlobStore store = new BlobStore(config.storage());
      store.ensureBucket();
      TopicAdmin.ensureTopics(config.bootstrapServers(), topics);

      List<Process> stages = new ArrayList<>();
      try {
        for (String stage : List.of("face", "stylize", "blend")) {
          stages.add(startStage(stage, config, secret, dir));
        }
        String id = Keys.newImageId();
        submit(config, store, id);
        ImageCompleted completed = awaitCompleted(config, id, Duration.ofMinutes(4), stages, dir);

        assertThat(completed.getFaceCount()).isEqualTo(3);
        assertThat(completed.getTrace().getStageMs()).containsKeys("face", "stylize", "blend");
        byte[] result = store.get(completed.getResult());
        assertThat(ImageCodec.decode(result).cols()).isEqualTo(512);
        for (Process stage : stages) {
          assertThat(stage.isAlive()).as("stage processes keep running").isTrue();
        }
      } finally {
        for (Process stage : stages) {
          stage.destroy();
        }
        for (Process stage : stages) {
          stage.waitFor();
        }
      }
    }
  }

  private static Process startStage(String stage, PipelineConfig config, String secret, Path dir) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path argFile = dir.resolve(stage + ".args");
    // An argument file keeps the command line short however long the class path is.
    Files.write(argFile, List.of("-Xss4m", "-Xmx1g", "-cp", quoted(classPath), Main.class.getName(),
        "stage", stage,
        "--bootstrap-servers", config.bootstrapServers(),
        "--s3-endpoint", config.storage().endpoint(),
        "--models", quoted(config.modelsDir().toString()),
        "--topic-prefix", "multi.",
        "--partitions", "2",
        "--onnx-threads", "1",
        "--state-dir", quoted(dir.resolve("state-" + stage).toString())));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(stage + ".log").toFile());
    builder.environment().put("ANIMEGAN_S3_ACCESS_KEY", ACCESS_KEY);
    builder.environment().put("ANIMEGAN_S3_SECRET_KEY", secret);
    return builder.start();
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\") + "\"";
  }

  private static void submit(PipelineConfig config, BlobStore store, String id) throws Exception {
    byte[] photo = SharedFiles.sampleBytes("group-of-three.jpg");
    var source = store.put(Keys.original(id), photo, "image/jpeg");
    ImageSubmitted event = ImageSubmitted.newBuilder()
        .setImageId(id).setName("group-of-three.jpg").setSource(source).setSizeBytes(photo.length)
        .setOptions(Options.newBuilder().setMaxSide(512).build())
        .setTrace(new Trace(UUID.randomUUID().toString(), System.currentTimeMillis(), Map.of()))
        .build();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), config.topics().submitted().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(config.topics().submitted().name(), id, event)).get();
    }
  }

  private static ImageCompleted awaitCompleted(PipelineConfig config, String id, Duration timeout,
      List<Process> stages, Path dir) throws IOException {
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        config.topics().completed().valueSerde().deserializer())) {
      consumer.subscribe(List.of(config.topics().completed().name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, ImageCompleted> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key().equals(id)) {
            return record.value();
          }
        }
        for (Process stage : stages) {
          if (!stage.isAlive()) {
            throw new AssertionError("a stage process exited: " + logs(dir));
          }
        }
      }
    }
    throw new AssertionError("no ImageCompleted for " + id + " within " + timeout + "\n" + logs(dir));
  }

  private static String logs(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    for (String stage : List.of("face", "stylize", "blend")) {
      Path log = dir.resolve(stage + ".log");
      if (Files.exists(log)) {
        String text = Files.readString(log);
        all.append("--- ").append(stage).append(" ---\n").append(text, Math.max(0, text.length() - 4000), text.length());
      }
    }
    return all.toString();
  }
}
