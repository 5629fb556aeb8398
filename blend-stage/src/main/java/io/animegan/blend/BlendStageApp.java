package io.animegan.blend;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.style.StyleCatalogue;

/** The blend-stage Kafka Streams application: ImageStylized in, ImageCompleted out. */
public final class BlendStageApp {

    public static final String APPLICATION_ID = "animegan-blend-stage";

    private BlendStageApp() {}

    public static BlendProcessor processor(PipelineConfig config) {
        return new BlendProcessor(
                new BlobStore(config.storage()),
                new FaceBlender(),
                StyleCatalogue.load(config.modelsDir(), config.generatorModel()));
    }

    public static StageRunner create(PipelineConfig config) {
        var topics = config.topics();
        return StageRunner.forStage(
                APPLICATION_ID, BlendProcessor.NAME, config, topics.stylized(), topics.completed(), processor(config));
    }
}
