package io.animegan.face.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.align.AlignedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.imgproc.Moments;

class FaceParserTest {

    private static final String DETECTOR_MODEL = "retinaface-mobilenet0.25.onnx";
    private static final String PARSER_MODEL = "face-parsing-bisenetv2.onnx";
    /** Faces of the sample, left to right: two men with glasses, a woman without. */
    private static final boolean[] WEARS_GLASSES = {true, true, false};

    private static final int MIN_PIXELS = 40;

    private static OnnxModel detectorModel;
    private static OnnxModel parserModel;
    private static FaceParser parser;
    private static final List<Mat> crops = new ArrayList<>();
    private static final List<Mat> labelMaps = new ArrayList<>();

    @BeforeAll
    static void parseTheSampleFaces() {
        detectorModel = OnnxModel.load(TestAssets.requireModel(DETECTOR_MODEL), DETECTOR_MODEL, 0);
        parserModel = OnnxModel.load(TestAssets.requireModel(PARSER_MODEL), PARSER_MODEL, 0);
        parser = new FaceParser(parserModel);
        Mat sample = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
        FaceAligner aligner = new FaceAligner();
        try (RetinaFaceDetector detector = new RetinaFaceDetector(detectorModel)) {
            for (DetectedFace face : detector.detect(sample)) {
                AlignedFace aligned = aligner.align(sample, face);
                crops.add(aligned.crop());
                labelMaps.add(parser.parse(aligned.crop()));
            }
        }
        assertThat(labelMaps).hasSize(3);
    }

    @AfterAll
    static void close() {
        if (parser != null) {
            parser.close();
        }
        if (parserModel != null) {
            parserModel.close();
            detectorModel.close();
        }
    }

    @Test
    void labelMapHasTheCropSizeAndOnlyKnownClasses() {
        for (Mat labels : labelMaps) {
            assertThat(labels.size()).isEqualTo(new Size(512, 512));
            assertThat(labels.type()).isEqualTo(CvType.CV_8UC1);
            assertThat(Core.minMaxLoc(labels).maxVal).isLessThan(FaceParser.CLASS_COUNT);
        }
    }

    /**
     * The men's eyes come out as glasses (eye_g), not as l_eye/r_eye: in CelebAMask-HQ's label maps
     * the glasses mask is drawn over the eyes, so the model labels eyes behind lenses as glasses.
     */
    @Test
    void findsSkinHairAndEyesOrGlassesOnEveryFace() {
        for (int i = 0; i < labelMaps.size(); i++) {
            Mat labels = labelMaps.get(i);
            Set<String> regions = FaceParser.regionsPresent(labels, MIN_PIXELS);
            int[] counts = FaceParser.pixelCounts(labels);
            System.out.printf("face %d: regions %s, pixels per class %s%n", i, regions, Arrays.toString(counts));

            assertThat(regions).contains("skin", "brows", "nose", "lips", "hair");
            if (WEARS_GLASSES[i]) {
                assertThat(regions).contains("glasses").doesNotContain("eyes");
                assertThat(labelAt(labels, DetectedFace.LEFT_EYE)).isEqualTo(FaceRegion.EYE_G);
                assertThat(labelAt(labels, DetectedFace.RIGHT_EYE)).isEqualTo(FaceRegion.EYE_G);
            } else {
                assertThat(regions).contains("eyes").doesNotContain("glasses");
                assertThat(counts[FaceRegion.L_EYE.index()]).isGreaterThanOrEqualTo(MIN_PIXELS);
                assertThat(counts[FaceRegion.R_EYE.index()]).isGreaterThanOrEqualTo(MIN_PIXELS);
            }
        }
    }

    @Test
    void regionsLieWhereTheTemplatePutsThem() {
        for (int i = 0; i < labelMaps.size(); i++) {
            Mat labels = labelMaps.get(i);
            Moments nose = moments(labels, FaceRegion.NOSE);
            Moments upperLip = moments(labels, FaceRegion.U_LIP);
            Moments lowerLip = moments(labels, FaceRegion.L_LIP);

            if (WEARS_GLASSES[i]) {
                // The frames reach below the eyes: their centre sits near the middle, above the nose.
                assertThat(centreY(moments(labels, FaceRegion.EYE_G))).isLessThan(centreY(nose) - 30);
            } else {
                Moments leftEye = moments(labels, FaceRegion.L_EYE);
                Moments rightEye = moments(labels, FaceRegion.R_EYE);
                assertThat(centreY(leftEye)).isLessThan(256);
                assertThat(centreY(rightEye)).isLessThan(256);
                // The person's left eye is on the image's right.
                assertThat(centreX(leftEye)).isGreaterThan(centreX(rightEye));
            }
            assertThat(centreY(upperLip)).isGreaterThan(centreY(nose));
            assertThat(centreY(lowerLip)).isGreaterThan(centreY(upperLip));
        }
    }

    /**
     * The sample's faces at their size in the output (256 crops) against the same faces in 512
     * crops, both parsed at 448: the same class on all but a thin band along region borders, and
     * every feature found.
     */
    @Test
    void aSmallCropIsParsedLikeTheFullSizeOne() {
        Mat sample = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
        FaceAligner aligner = new FaceAligner();
        try (RetinaFaceDetector detector = new RetinaFaceDetector(detectorModel)) {
            List<DetectedFace> faces = detector.detect(sample);
            for (int i = 0; i < faces.size(); i++) {
                try (AlignedFace small = aligner.align(sample, faces.get(i), 1.0)) {
                    int side = small.crop().cols();
                    Mat labels = parser.parse(small.crop());
                    Mat reference = new Mat();
                    Imgproc.resize(labelMaps.get(i), reference, labels.size(), 0, 0, Imgproc.INTER_NEAREST);
                    Mat differs = new Mat();
                    Core.compare(labels, reference, differs, Core.CMP_NE);
                    double agreement = 1 - (double) Core.countNonZero(differs) / differs.total();
                    int minPixels = (int) Math.round(FaceTemplate.scaledArea(MIN_PIXELS, side));
                    System.out.printf(
                            "face %d: the %dx%d crop's parsing agrees with the 512 crop's on %.1f %% of pixels%n",
                            i, side, side, 100 * agreement);

                    assertThat(side).isEqualTo(FaceTemplate.MIN_CROP_SIZE);
                    assertThat(labels.size()).isEqualTo(new Size(side, side));
                    assertThat(agreement).as("face %d", i).isGreaterThan(0.97);
                    Set<String> regions = FaceParser.regionsPresent(labels, minPixels);
                    assertThat(regions)
                            .contains("skin", "brows", "nose", "lips", "hair", WEARS_GLASSES[i] ? "glasses" : "eyes");
                }
            }
        }
    }

    /** The class at the template's position of a landmark. */
    private static FaceRegion labelAt(Mat labels, int landmark) {
        float[] template = FaceTemplate.FFHQ_512.points();
        byte[] label = new byte[1];
        labels.get(Math.round(template[2 * landmark + 1]), Math.round(template[2 * landmark]), label);
        return FaceRegion.of(label[0]);
    }

    private static Moments moments(Mat labels, FaceRegion region) {
        Mat mask = new Mat();
        Core.compare(labels, new Scalar(region.index()), mask, Core.CMP_EQ);
        Moments moments = Imgproc.moments(mask, true);
        mask.release();
        assertThat(moments.m00).as("pixels of %s", region).isPositive();
        return moments;
    }

    private static double centreX(Moments m) {
        return m.m10 / m.m00;
    }

    private static double centreY(Moments m) {
        return m.m01 / m.m00;
    }
}
