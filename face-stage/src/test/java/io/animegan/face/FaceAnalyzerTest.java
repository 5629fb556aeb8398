package io.animegan.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.SharedFiles;
import io.animegan.face.FaceAnalyzer.AnalyzedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.FaceParser;
import io.animegan.common.face.FaceRegion;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class FaceAnalyzerTest {

  @Test
  void everyFaceOfTheGroupHasSkinEyesAndHairAndTheMenTheirGlasses() {
    String detectorFile = FaceStageApp.DETECTOR_MODEL;
    String parserFile = FaceStageApp.PARSER_MODEL;
    try (OnnxModel detectorModel = OnnxModel.load(SharedFiles.requireModel(detectorFile), detectorFile, 0);
         OnnxModel parserModel = OnnxModel.load(SharedFiles.requireModel(parserFile), parserFile, 0);
         RetinaFaceDetector detector = new RetinaFaceDetector(detectorModel);
         FaceParser parser = new FaceParser(parserModel)) {
      Mat picture = ImageCodec.decode(SharedFiles.sampleBytes("group-of-three.jpg"));
      List<AnalyzedFace> faces = new FaceAnalyzer(detector, new FaceAligner(), parser).analyze(picture);

      assertThat(faces).hasSize(3);
      boolean[] wearsGlasses = {true, true, false};
      for (int i = 0; i < faces.size(); i++) {
        AnalyzedFace face = faces.get(i);
        int[] counts = FaceParser.pixelCounts(face.labels());
        System.out.printf("face %d: regions %s; r_eye %d px, l_eye %d px, eye_g %d px%n", i, face.regions(),
            counts[FaceRegion.R_EYE.index()], counts[FaceRegion.L_EYE.index()], counts[FaceRegion.EYE_G.index()]);
        assertThat(face.regions()).contains("skin", "eyes", "hair").doesNotContain("background");
        int minPixels = FaceAnalyzer.minRegionPixels(face.labels().cols());
        assertThat(counts[FaceRegion.R_EYE.index()]).isGreaterThanOrEqualTo(minPixels);
        assertThat(counts[FaceRegion.L_EYE.index()]).isGreaterThanOrEqualTo(minPixels);
        if (wearsGlasses[i]) {
          assertThat(face.regions()).contains("glasses");
        } else {
          assertThat(face.regions()).doesNotContain("glasses");
        }
        face.close();
      }
    }
  }
}
