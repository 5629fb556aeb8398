package io.animegan.ingest;

import io.animegan.submission.Submitter;
import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.ImageStatus;
import io.animegan.status.StatusService;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config} in ingest: the file's entries reach the submitting producer and the status
 * app, and with harmless ones every client of ingest (admin, producer, Streams app, changelog
 * feed) still works against the embedded broker.
 */
class KafkaClientSettingsIngestTest {

  @TempDir
  Path dir;

  @Test
  void theFilesEntriesReachTheProducerAndTheStatusApp() throws Exception {
    Path file = Files.writeString(dir.resolve("kafka.properties"), """
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="ingest" password="pw-42";
        request.timeout.ms=2000
        """);
    PipelineConfig config = new PipelineConfig("127.0.0.1:9", io.animegan.common.config.Topics.withPrefix("t.", 1,
        (short) 1), new io.animegan.common.config.StorageConfig("http://127.0.0.1:9", "k", "s", "b", "us-east-1"),
        dir, PipelineConfig.DEFAULT_GENERATOR, 0, dir).withKafkaClient(KafkaClientSettings.load(file));

    Properties streams = StatusService.properties(config, new HostInfo("localhost", 1234));
    assertThat(streams).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("request.timeout.ms", "2000").containsEntry("bootstrap.servers", "127.0.0.1:9");
    assertThat(streams.getProperty("sasl.jaas.config")).contains("password=\"pw-42\"");

    // A producer is made without reaching the broker: its configuration is what it runs with.
    try (Submitter submitter = new Submitter(null, config.bootstrapServers(), config.kafkaClient(),
        config.topics().submitted())) {
      assertThat(submitter.producerConfig()).containsEntry("security.protocol", "SASL_PLAINTEXT")
          .containsEntry("sasl.mechanism", "PLAIN").containsEntry("request.timeout.ms", "2000")
          .containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }
  }

  @Test
  void harmlessSettingsStillWorkEndToEnd() throws Exception {
    Path file = Files.writeString(dir.resolve("kafka.properties"), """
        client.dns.lookup=use_all_dns_ips
        request.timeout.ms=2000
        """);
    try (Infra infra = Infra.start(dir.resolve("infra"))) {
      PipelineConfig config = infra.config.withKafkaClient(KafkaClientSettings.load(file));
      try (IngestServer server = IngestServer.start(config, new IngestSettings(0, 1_000_000))) {
        List<ImageStatus> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable feed = server.statuses().subscribe(heard::add)) {
          HttpResponse<byte[]> accepted = new Http(server.port()).post(new Multipart()
              .file("group.jpg", TestAssets.sampleBytes("group-of-three.jpg")));
          assertThat(accepted.statusCode()).isEqualTo(202);
          String id = Http.json(accepted).at("/images/0/id").asText();
          // Folded by the status app (not read from the original's metadata) and heard on the changelog feed.
          await("status folded", () -> server.statuses().find(id).isPresent());
          await("change heard", () -> heard.stream().anyMatch(s -> s.id().equals(id)));
          assertThat(Http.json(new Http(server.port()).get("/api/images/" + id)).get("status").asText())
              .isEqualTo("queued");
        }
      }
    }
  }
}
