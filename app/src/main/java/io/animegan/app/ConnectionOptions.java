package io.animegan.app;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster, the object storage and the models are: every option can also come
 * from an environment variable (ANIMEGAN_...), which is how docker-compose configures stages.
 */
public final class ConnectionOptions {

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:ANIMEGAN_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env ANIMEGAN_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            defaultValue = "${env:ANIMEGAN_KAFKA_CONFIG}",
            description = "Properties file of Kafka client settings applied to every Kafka client of this process, e.g."
                    + " security.protocol, sasl.* and ssl.* for a secured cluster (env ANIMEGAN_KAFKA_CONFIG). Only its keys are"
                    + " logged. See README 'Running against a real cluster'.")
    String kafkaConfig;

    @Mixin
    S3Options s3;

    @Option(
            names = "--s3-bucket",
            defaultValue = "${env:ANIMEGAN_S3_BUCKET:-animegan}",
            description =
                    "Bucket for originals, intermediates and results (env ANIMEGAN_S3_BUCKET). Default: ${DEFAULT-VALUE}")
    String s3Bucket;

    @Mixin
    ModelsOption models;

    @Mixin
    GeneratorModelOption generator;

    @Option(
            names = "--styles",
            split = ",",
            defaultValue = "${env:ANIMEGAN_STYLES}",
            description =
                    "stylize-stage: only these style ids, comma-separated (env ANIMEGAN_STYLES); default every available style."
                            + " Such an instance is its own consumer group and keeps only its styles' records (see README 'Styles').")
    List<String> styles;

    @Option(
            names = "--max-sessions",
            defaultValue = "${env:ANIMEGAN_MAX_SESSIONS:-" + PipelineConfig.DEFAULT_MAX_SESSIONS + "}",
            description =
                    "stylize-stage: most generator sessions kept loaded, least recently used closed first (env ANIMEGAN_MAX_SESSIONS). Default: ${DEFAULT-VALUE}")
    int maxSessions;

    @Option(
            names = "--tile-pixels",
            defaultValue = "${env:ANIMEGAN_TILE_PIXELS:-" + PipelineConfig.DEFAULT_TILE_PIXELS + "}",
            description =
                    "stylize-stage: pictures larger than this and than 1920x1280 are drawn in overlapping tiles of at most this many pixels, which bounds memory (env ANIMEGAN_TILE_PIXELS). Default: ${DEFAULT-VALUE}")
    long tilePixels;

    @Option(
            names = "--onnx-threads",
            defaultValue = "${env:ANIMEGAN_ONNX_THREADS:-0}",
            description = "Intra-op threads per ONNX Runtime session, 0 = one per core (env ANIMEGAN_ONNX_THREADS)")
    int onnxThreads;

    @Option(
            names = "--topic-prefix",
            defaultValue = "${env:ANIMEGAN_TOPIC_PREFIX:-" + Topics.DEFAULT_PREFIX + "}",
            description = "Prefix of the five topic names (env ANIMEGAN_TOPIC_PREFIX). Default: ${DEFAULT-VALUE}")
    String topicPrefix;

    @Option(
            names = "--partitions",
            defaultValue = "${env:ANIMEGAN_PARTITIONS:-6}",
            description =
                    "Partitions of topics created at start-up: the most instances a stage can spread over (env ANIMEGAN_PARTITIONS)")
    int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "${env:ANIMEGAN_REPLICATION_FACTOR:-1}",
            description = "Replication factor of topics created at start-up (env ANIMEGAN_REPLICATION_FACTOR)")
    short replicationFactor;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:ANIMEGAN_STATE_DIR:-${sys:java.io.tmpdir}/animegan-streams}",
            description = "Kafka Streams state directory (env ANIMEGAN_STATE_DIR)")
    Path stateDir;

    PipelineConfig toConfig() {
        StorageConfig storage = s3.toConfig(s3Bucket);
        return new PipelineConfig(
                bootstrapServers,
                Topics.withPrefix(topicPrefix, partitions, replicationFactor),
                storage,
                models.dir(),
                generator.model(),
                onnxThreads,
                stateDir,
                styles == null
                        ? Set.of()
                        : Set.copyOf(styles.stream()
                                .map(String::strip)
                                .filter(s -> !s.isEmpty())
                                .toList()),
                maxSessions,
                tilePixels,
                KafkaClientSettings.loadOrNone(kafkaConfig));
    }
}
