package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.ModelNotFoundException;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.SharedFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class AnimeGanGeneratorTest {

  @Test
  void stylizesAPhotoAtItsOwnSize() {
    Path models = SharedFiles.requireModel("animeganv2-hayao.onnx");
    Mat photo = ImageCodec.decode(SharedFiles.sampleBytes("group-of-three.jpg"));
    Mat input = StylizeStage.resize(photo, OutputSize.fit(photo.cols(), photo.rows(), 512));
    try (OnnxModel model = OnnxModel.load(models, "animeganv2-hayao.onnx", 0)) {
      AnimeGanGenerator generator = new AnimeGanGenerator(model);
      Mat anime = generator.stylize(input);
      Mat again = generator.stylize(input);

      assertThat(anime.size()).isEqualTo(input.size());
      assertThat(anime.type()).isEqualTo(input.type());
      Mat diff = new Mat();
      Core.absdiff(anime, input, diff);
      double meanDiff = Core.mean(diff).val[0];
      assertThat(meanDiff).as("clearly restyled, mean abs difference %.1f", meanDiff).isGreaterThan(15);
      Core.absdiff(anime, again, diff);
      assertThat(Core.norm(diff, Core.NORM_INF)).as("deterministic with a reused buffer").isZero();
      Scalar mean = Core.mean(anime);
      assertThat(mean.val[0] + mean.val[1] + mean.val[2]).as("not black or saturated").isBetween(150.0, 600.0);
    }
  }

  @Test
  void rejectsSidesThatAreNotMultiplesOfEight() {
    Path models = SharedFiles.requireModel("animeganv2-hayao.onnx");
    try (OnnxModel model = OnnxModel.load(models, "animeganv2-hayao.onnx", 0)) {
      assertThatThrownBy(() -> new AnimeGanGenerator(model).stylize(new Mat(100, 100, org.opencv.core.CvType.CV_8UC3)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aMissingModelNamesTheFileAndTheDirectory(@org.junit.jupiter.api.io.TempDir Path empty) {
    assertThatThrownBy(() -> OnnxModel.load(empty, "animeganv2-hayao.onnx", 0))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("animeganv2-hayao.onnx")
        .hasMessageContaining(empty.toString());
  }
}
