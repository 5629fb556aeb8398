package io.animegan.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.stage.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kafka-config}: a file's entries reach the stages' Streams configuration, secrets never the log. */
class KafkaClientSettingsTest {

    static final String SASL_SSL = """
      # A secured cluster, as the README shows it
      security.protocol=SASL_SSL
      sasl.mechanism=SCRAM-SHA-512
      sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
          username="animegan-face" password="very-secret-password";
      ssl.truststore.location=/etc/animegan/kafka-ca.p12
      ssl.truststore.type=PKCS12
      request.timeout.ms=45000
      """;

    @TempDir
    Path dir;

    @Test
    void theFilesEntriesReachTheStreamsConfigurationOverTheDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), SASL_SSL);
        KafkaClientSettings settings = KafkaClientSettings.load(file);

        Properties streams = StreamsSettings.forStage("app", "broker:9093", settings, dir, "dead-letter");
        assertThat(streams)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/animegan/kafka-ca.p12")
                .containsEntry("request.timeout.ms", "45000")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(streams.getProperty("sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
                .endsWith("password=\"very-secret-password\";");
        // Kafka Streams accepts it: every unprefixed client setting goes on to its producers, consumers and admin.
        assertThat(new StreamsConfig(streams).getProducerConfigs("c")).containsEntry("security.protocol", "SASL_SSL");
        assertThat(new StreamsConfig(streams).getMainConsumerConfigs("app", "c", 0))
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");

        assertThat(StreamsSettings.forStage("app", "broker:9093", dir, "dead-letter"))
                .doesNotContainKey("security.protocol");
    }

    @Test
    void onlyTheKeysAreEverShown() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), SASL_SSL);
        PipelineConfig config = new PipelineConfig(
                        "broker:9093",
                        Topics.withPrefix("t.", 1, (short) 1),
                        new StorageConfig("http://s3", "k", "s", "b", "us-east-1"),
                        dir,
                        PipelineConfig.DEFAULT_GENERATOR,
                        0,
                        dir)
                .withKafkaClient(KafkaClientSettings.load(file));
        assertThat(config.kafkaClient().toString())
                .contains("sasl.jaas.config", "security.protocol", file.toString())
                .doesNotContain("very-secret-password")
                .doesNotContain("SCRAM");
        assertThat(config.toString()).doesNotContain("very-secret-password");
        assertThat(KafkaClientSettings.loadOrNone(null)).isEqualTo(KafkaClientSettings.NONE);
        assertThat(KafkaClientSettings.loadOrNone(" ").isEmpty()).isTrue();
    }

    @Test
    void settingsTheServiceOwnsAreRefused() throws Exception {
        for (String line : new String[] {
            "bootstrap.servers=elsewhere:9092",
            "processing.guarantee=at_least_once",
            "transactional.id=x",
            "isolation.level=read_uncommitted",
            "acks=0"
        }) {
            Path file = Files.writeString(dir.resolve("bad.properties"), line + "\n");
            assertThatThrownBy(() -> KafkaClientSettings.load(file))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(line.substring(0, line.indexOf('=')))
                    .hasMessageContaining(file.toString());
        }
        assertThatThrownBy(() -> KafkaClientSettings.load(dir.resolve("missing.properties")))
                .hasMessageContaining("missing.properties");
    }
}
