package io.animegan.stylize;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.StageTopology;
import io.animegan.common.stage.StreamsSettings;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.stylize.video.SegmentStageApp;
import io.animegan.video.VideoSettings;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.Topology;

/**
 * The stylize-stage Kafka Streams applications: FacesDetected in, ImageStylized out; and beside it
 * in the same process, sharing the generators, the segments of clips ({@link SegmentStageApp}).
 *
 * <p>By default an instance draws every available style. An instance started with {@code --styles}
 * is a separate deployment: its own consumer group ({@link #applicationId}), which therefore sees
 * every partition of the faces topic, and it takes only the records of its styles. Each record is
 * drawn by exactly one deployment when the deployments' style lists do not overlap and cover the
 * catalogue (an instance without {@code --styles} covers everything, so it runs alone).
 */
public final class StylizeStageApp {

    public static final String APPLICATION_ID = "animegan-stylize-stage";

    private StylizeStageApp() {}

    /** Fails at start-up when the default style's model is missing; other missing styles only become unavailable. */
    public static StylizeProcessor processor(PipelineConfig config) {
        StyleCatalogue catalogue =
                StyleCatalogue.load(config.modelsDir(), config.generatorModel()).requireDefault();
        Generators generators = new Generators(
                catalogue, config.styles(), config.maxSessions(), config.onnxThreads(), config.tilePixels());
        return new StylizeProcessor(new BlobStore(config.storage()), generators);
    }

    /** The picture application with the segment application beside it, sharing one set of generators. */
    public static StageRunner create(PipelineConfig config, VideoSettings video) {
        StylizeProcessor processor = processor(config);
        return pictures(config, processor).with(SegmentStageApp.create(config, processor.generators(), video));
    }

    private static StageRunner pictures(PipelineConfig config, StylizeProcessor processor) {
        var topics = config.topics();
        if (config.styles().isEmpty()) {
            return StageRunner.forStage(
                    APPLICATION_ID,
                    StylizeProcessor.NAME,
                    config,
                    topics.facesDetected(),
                    topics.stylized(),
                    processor);
        }
        String applicationId = applicationId(processor.served());
        return new StageRunner(
                applicationId,
                servedOnly(topics, processor),
                StreamsSettings.forStage(
                        applicationId,
                        config.bootstrapServers(),
                        config.kafkaClient(),
                        config.stateDir(),
                        topics.deadLetter().name()),
                processor);
    }

    /** One consumer group per set of styles, named after them (sorted, so the order given does not matter). */
    static String applicationId(Set<String> styles) {
        return APPLICATION_ID + "." + String.join(".", new TreeSet<>(styles));
    }

    /** The shared stage topology with the records of other styles left to their own deployments. */
    static Topology servedOnly(Topics topics, StylizeProcessor processor) {
        return StageTopology.build(
                StylizeProcessor.NAME,
                topics.facesDetected(),
                topics.stylized(),
                topics.failed(),
                processor,
                processor::serves);
    }
}
