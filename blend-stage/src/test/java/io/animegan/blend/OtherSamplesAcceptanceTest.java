package io.animegan.blend;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.testing.SharedFiles;
import io.animegan.events.FaceStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** Acceptance 2 to 4 on the other sample photos with faces (street-railway.jpg has none). */
class OtherSamplesAcceptanceTest {

  private static InProcessPipeline pipeline;

  @BeforeAll
  static void load() {
    pipeline = new InProcessPipeline();
  }

  @AfterAll
  static void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"couple-oranges.jpg", "portrait-headphones.jpg"})
  void seamlessSameFacesSameColours(String sample) throws Exception {
    Mat source = ImageCodec.decode(SharedFiles.sampleBytes(sample));
    InProcessPipeline.Run run = pipeline.run(source, 1920, FaceStyle.newBuilder().build());
    String name = sample.replace(".jpg", "");
    Path dir = Files.createDirectories(Path.of("target", "acceptance"));
    Imgcodecs.imwrite(dir.resolve(name + "-result.png").toString(), run.result());
    Imgcodecs.imwrite(dir.resolve(name + "-overlay.png").toString(),
        DebugOverlay.draw(run.result(), run.faces(), run.outcomes(), run.scaleX(), run.scaleY()));
    Acceptance.assertSeamless(name, run, false);
    Acceptance.assertSameFaces(name, run, pipeline);
    Acceptance.assertSkinColour(name, run);
  }
}
