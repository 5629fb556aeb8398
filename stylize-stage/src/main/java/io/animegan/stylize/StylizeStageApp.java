package io.animegan.stylize;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.storage.BlobStore;

/** The stylize-stage Kafka Streams application: FacesDetected in, ImageStylized out. */
public final class StylizeStageApp {

  public static final String APPLICATION_ID = "animegan-stylize-stage";

  private StylizeStageApp() {}

  public static StylizeStage processor(PipelineConfig config) {
    OnnxModel model = OnnxModel.load(config.modelsDir(), config.generatorModel(), config.onnxThreads());
    return new StylizeStage(new BlobStore(config.storage()), new AnimeGanGenerator(model));
  }

  public static StageRunner create(PipelineConfig config) {
    var topics = config.topics();
    return StageRunner.forStage(APPLICATION_ID, StylizeStage.NAME, config,
        topics.facesDetected(), topics.stylized(), processor(config));
  }
}
