package io.animegan.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceAnalyzer.AnalyzedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.NonMaxSuppression;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.FaceParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class FaceAnalyzerTest {

    @Test
    void everyFaceOfTheGroupHasSkinEyesAndHairAndTheMenTheirGlasses() {
        String detectorFile = FaceStageApp.DETECTOR_MODEL;
        String parserFile = FaceStageApp.PARSER_MODEL;
        try (OnnxModel detectorModel = OnnxModel.load(TestAssets.requireModel(detectorFile), detectorFile, 0);
                OnnxModel parserModel = OnnxModel.load(TestAssets.requireModel(parserFile), parserFile, 0);
                RetinaFaceDetector detector = new RetinaFaceDetector(detectorModel);
                FaceParser parser = new FaceParser(parserModel)) {
            Mat picture = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
            List<AnalyzedFace> faces = new FaceAnalyzer(detector, new FaceAligner(), parser).analyze(picture, 1.0);

            assertThat(faces).hasSize(3);
            boolean[] wearsGlasses = {true, true, false};
            for (int i = 0; i < faces.size(); i++) {
                AnalyzedFace face = faces.get(i);
                int[] counts = FaceParser.pixelCounts(face.labels());
                System.out.printf(
                        "face %d: regions %s; r_eye %d px, l_eye %d px, eye_g %d px%n",
                        i,
                        face.regions(),
                        counts[FaceRegion.R_EYE.index()],
                        counts[FaceRegion.L_EYE.index()],
                        counts[FaceRegion.EYE_G.index()]);
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

    @Test
    void aPictureShrunkForTheOutputIsSearchedAtAboutTheOutputsSize() {
        Mat picture = new Mat(900, 1200, org.opencv.core.CvType.CV_8UC3);
        assertThat(FaceAnalyzer.detectionSide(picture, 1.0)).isEqualTo(RetinaFaceDetector.MAX_INPUT_SIDE);
        assertThat(FaceAnalyzer.detectionSide(picture, 0.6)).isEqualTo(720);
        assertThat(FaceAnalyzer.detectionSide(picture, 0.25)).isEqualTo(RetinaFaceDetector.MIN_INPUT_SIDE);
        picture.release();
    }

    /** The group at a 512 px output: detected at 640 instead of 840, the same three faces. */
    @Test
    void theGroupsFacesAreFoundAtTheSmallestDetectionSide() {
        String detectorFile = FaceStageApp.DETECTOR_MODEL;
        try (OnnxModel detectorModel = OnnxModel.load(TestAssets.requireModel(detectorFile), detectorFile, 0);
                RetinaFaceDetector detector = new RetinaFaceDetector(detectorModel)) {
            Mat picture = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
            FaceAnalyzer analyzer = new FaceAnalyzer(detector, new FaceAligner(), null);
            List<DetectedFace> full = analyzer.detect(picture);
            List<DetectedFace> small = analyzer.detect(picture, FaceAnalyzer.detectionSide(picture, 512.0 / 900));

            assertThat(small).hasSameSizeAs(full).hasSize(3);
            for (int i = 0; i < full.size(); i++) {
                double iou = NonMaxSuppression.iou(full.get(i), small.get(i));
                double eyeShift = Math.hypot(
                        full.get(i).landmarkX(0) - small.get(i).landmarkX(0),
                        full.get(i).landmarkY(0) - small.get(i).landmarkY(0));
                System.out.printf("face %d at 640 vs 840: box IoU %.3f, eye moved %.1f px%n", i, iou, eyeShift);
                assertThat(iou).isGreaterThan(0.85);
                assertThat(eyeShift).isLessThan(0.05 * full.get(i).width());
            }
        }
    }
}
