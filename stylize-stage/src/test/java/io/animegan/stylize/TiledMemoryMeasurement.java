package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A measurement, not a regular test: peak resident memory (VmHWM) of the forked test JVM after
 * drawing one 3840x2160 picture with the default tile budget. Run it alone, so the JVM is fresh:
 * {@code mvn -o -pl stylize-stage -am test -Dtest=TiledMemoryMeasurement -Danimegan.measure.memory=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TiledMemoryMeasurement {

  @Test
  void peakResidentMemoryAt3840x2160() throws Exception {
    assumeTrue(Boolean.getBoolean("animegan.measure.memory"), "skipped: a measurement, run with -Danimegan.measure.memory=true");
    StyleCatalogue catalogue = StyleCatalogue.load(SharedFiles.requireModel("animeganv2-hayao-int8.onnx"), "int8");
    try (MatScope scope = new MatScope();
         Generators generators = new Generators(catalogue, Set.of(), 1, 2, PipelineConfig.DEFAULT_TILE_PIXELS)) {
      Mat photo = scope.own(ImageCodec.decode(SharedFiles.sampleBytes("street-railway.jpg")));
      Mat big = scope.newMat();
      Imgproc.resize(photo, big, new Size(3840, 2160), 0, 0, Imgproc.INTER_CUBIC);
      long start = System.nanoTime();
      Mat drawn = scope.own(generators.stylize("hayao", big));
      System.out.printf("hayao int8 3840x2160, tile pixels %d: %d ms%n", PipelineConfig.DEFAULT_TILE_PIXELS,
          (System.nanoTime() - start) / 1_000_000);
      assertThat(drawn.size()).isEqualTo(big.size());
    }
    Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmHWM") || line.startsWith("VmRSS")).forEach(System.out::println);
  }
}
