package io.animegan.common.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * Everything a stage or the ingest service needs to know about its surroundings, in one typed
 * place. The command line (options or environment variables) builds it; nothing else reads
 * environment or system properties.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics topic names and sizing
 * @param storage S3-compatible object storage
 * @param modelsDir directory holding the ONNX models
 * @param generatorModel which variant of each style's generator: {@code int8} (a style's int8 model
 *     where it has one) or {@code float}; a model file name also works: a catalogue file names its
 *     precision, any other file replaces the default style's model (see {@code StyleCatalogue})
 * @param onnxThreads intra-op threads per ONNX Runtime session (0 = one per available processor)
 * @param stateDir Kafka Streams state directory
 * @param styles style ids a stylize-stage instance serves (empty: every available style)
 * @param maxSessions most generator sessions a stylize-stage instance keeps loaded (least recently used closed)
 * @param tilePixels pictures larger than this (and than the default output size, 1920x1280) are
 *     drawn by the generator in overlapping tiles of at most this many pixels, which bounds the
 *     stylize stage's memory (see {@link #DEFAULT_TILE_PIXELS})
 * @param kafkaClient settings applied to every Kafka client (a secured cluster's SASL/TLS), see
 *     {@link KafkaClientSettings}
 */
public record PipelineConfig(
        String bootstrapServers,
        Topics topics,
        StorageConfig storage,
        Path modelsDir,
        String generatorModel,
        int onnxThreads,
        Path stateDir,
        Set<String> styles,
        int maxSessions,
        long tilePixels,
        KafkaClientSettings kafkaClient) {

    public static final int DEFAULT_MAX_SESSIONS = 3;
    /**
     * One generator call's resident memory grows with its pixels, so the tile budget bounds the
     * stylize stage's peak; smaller tiles cost more calls and more overlap (figures in README "4K").
     */
    public static final long DEFAULT_TILE_PIXELS = 800_000;

    public PipelineConfig {
        styles = styles == null ? Set.of() : Set.copyOf(styles);
        kafkaClient = kafkaClient == null ? KafkaClientSettings.NONE : kafkaClient;
    }

    /** With no Kafka client settings beyond the service's own. */
    public PipelineConfig(
            String bootstrapServers,
            Topics topics,
            StorageConfig storage,
            Path modelsDir,
            String generatorModel,
            int onnxThreads,
            Path stateDir,
            Set<String> styles,
            int maxSessions,
            long tilePixels) {
        this(
                bootstrapServers,
                topics,
                storage,
                modelsDir,
                generatorModel,
                onnxThreads,
                stateDir,
                styles,
                maxSessions,
                tilePixels,
                KafkaClientSettings.NONE);
    }

    /** With the default tile budget. */
    public PipelineConfig(
            String bootstrapServers,
            Topics topics,
            StorageConfig storage,
            Path modelsDir,
            String generatorModel,
            int onnxThreads,
            Path stateDir,
            Set<String> styles,
            int maxSessions) {
        this(
                bootstrapServers,
                topics,
                storage,
                modelsDir,
                generatorModel,
                onnxThreads,
                stateDir,
                styles,
                maxSessions,
                DEFAULT_TILE_PIXELS);
    }

    /** Every available style, at most {@link #DEFAULT_MAX_SESSIONS} sessions. */
    public PipelineConfig(
            String bootstrapServers,
            Topics topics,
            StorageConfig storage,
            Path modelsDir,
            String generatorModel,
            int onnxThreads,
            Path stateDir) {
        this(
                bootstrapServers,
                topics,
                storage,
                modelsDir,
                generatorModel,
                onnxThreads,
                stateDir,
                Set.of(),
                DEFAULT_MAX_SESSIONS);
    }

    /**
     * The default style's int8 generator, which also means "int8 for every style that has one":
     * about 2x faster than the float models on CPUs with VNNI, with a mean difference of about 1-2.5
     * of 255 (see the models README); the float models stay selectable.
     */
    public static final String DEFAULT_GENERATOR = "animeganv2-hayao-int8-fast.onnx";

    public PipelineConfig withBootstrapServers(String servers) {
        return new PipelineConfig(
                servers,
                topics,
                storage,
                modelsDir,
                generatorModel,
                onnxThreads,
                stateDir,
                styles,
                maxSessions,
                tilePixels,
                kafkaClient);
    }

    /** The same, with its own Kafka Streams state: two instances in one JVM must not share one. */
    public PipelineConfig withStateDir(Path dir) {
        return new PipelineConfig(
                bootstrapServers,
                topics,
                storage,
                modelsDir,
                generatorModel,
                onnxThreads,
                dir,
                styles,
                maxSessions,
                tilePixels,
                kafkaClient);
    }

    public PipelineConfig withKafkaClient(KafkaClientSettings settings) {
        return new PipelineConfig(
                bootstrapServers,
                topics,
                storage,
                modelsDir,
                generatorModel,
                onnxThreads,
                stateDir,
                styles,
                maxSessions,
                tilePixels,
                settings);
    }
}
