package io.animegan.stylize;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.style.StyleCatalogue;

/** The stylize-stage Kafka Streams application: FacesDetected in, ImageStylized out. */
public final class StylizeStageApp {

  public static final String APPLICATION_ID = "animegan-stylize-stage";

  private StylizeStageApp() {}

  /** Fails at start-up when the default style's model is missing; other missing styles only become unavailable. */
  public static StylizeStage processor(PipelineConfig config) {
    StyleCatalogue catalogue = StyleCatalogue.load(config.modelsDir(), config.generatorModel()).requireDefault();
    Generators generators = new Generators(catalogue, config.styles(), config.maxSessions(), config.onnxThreads());
    return new StylizeStage(new BlobStore(config.storage()), generators);
  }

  public static StageRunner create(PipelineConfig config) {
    var topics = config.topics();
    return StageRunner.forStage(APPLICATION_ID, StylizeStage.NAME, config,
        topics.facesDetected(), topics.stylized(), processor(config));
  }
}
