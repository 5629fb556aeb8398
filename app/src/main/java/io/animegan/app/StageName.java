package io.animegan.app;

import io.animegan.blend.BlendStageApp;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StylizeStageApp;
import java.util.function.Function;

/** The three processing stages, by the name used on the command line. */
public enum StageName {
  face(FaceStageApp::create),
  stylize(StylizeStageApp::create),
  blend(BlendStageApp::create);

  private final Function<PipelineConfig, StageRunner> factory;

  StageName(Function<PipelineConfig, StageRunner> factory) {
    this.factory = factory;
  }

  public StageRunner create(PipelineConfig config) {
    return factory.apply(config);
  }
}
