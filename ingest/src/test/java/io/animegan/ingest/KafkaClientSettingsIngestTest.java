package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.PipelineConfig;
import io.animegan.status.StatusService;
import io.animegan.submission.Submitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config} in ingest: the file's entries reach the submitting producer and the status
 * app (KafkaClientSettingsIngestIT runs harmless ones against a broker).
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
        PipelineConfig config = new PipelineConfig(
                        "127.0.0.1:9",
                        io.animegan.common.config.Topics.withPrefix("t.", 1, (short) 1),
                        new io.animegan.common.config.StorageConfig("http://127.0.0.1:9", "k", "s", "b", "us-east-1"),
                        dir,
                        PipelineConfig.DEFAULT_GENERATOR,
                        0,
                        dir)
                .withKafkaClient(KafkaClientSettings.load(file));

        Properties streams = StatusService.properties(config, new HostInfo("localhost", 1234));
        assertThat(streams)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("request.timeout.ms", "2000")
                .containsEntry("bootstrap.servers", "127.0.0.1:9");
        assertThat(streams.getProperty("sasl.jaas.config")).contains("password=\"pw-42\"");

        // A producer is made without reaching the broker: its configuration is what it runs with.
        try (Submitter submitter = new Submitter(
                null,
                config.bootstrapServers(),
                config.kafkaClient(),
                config.topics().submitted())) {
            assertThat(submitter.producerConfig())
                    .containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "PLAIN")
                    .containsEntry("request.timeout.ms", "2000")
                    .containsEntry("acks", "all")
                    .containsEntry("enable.idempotence", true);
        }
    }
}
