package io.animegan.face.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

class FaceAlignerTest {

    private static final String MODEL = "retinaface-mobilenet0.25.onnx";

    private static OnnxModel model;
    private static RetinaFaceDetector detector;
    private static Mat sample;
    private static List<DetectedFace> faces;
    private final FaceAligner aligner = new FaceAligner();

    @BeforeAll
    static void detect() {
        model = OnnxModel.load(TestAssets.requireModel(MODEL), MODEL, 0);
        detector = new RetinaFaceDetector(model);
        sample = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
        faces = detector.detect(sample);
        assertThat(faces).hasSize(3);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            detector.close();
            model.close();
        }
    }

    /**
     * Five real landmarks never fit a rigid template exactly: on the sample the eyes land within
     * 5 px, while the nose tip and mouth corners, which depend on pose and expression, are off by
     * up to about 18 px (OpenCV's LMEDS fit, as in facexlib, leaves the same or larger errors).
     */
    @Test
    void alignedLandmarksLandOnTheTemplate() {
        float[] template = FaceTemplate.FFHQ_512.points();
        for (DetectedFace face : faces) {
            AlignedFace aligned = aligner.align(sample, face);

            assertThat(aligned.crop().size()).isEqualTo(new Size(512, 512));
            assertThat(aligned.crop().type()).isEqualTo(CvType.CV_8UC3);
            for (int p = 0; p < DetectedFace.LANDMARK_COUNT; p++) {
                double[] inCrop = SimilarityTransform.apply(aligned.affine(), face.landmarkX(p), face.landmarkY(p));
                boolean eye = p == DetectedFace.LEFT_EYE || p == DetectedFace.RIGHT_EYE;
                assertThat(Math.hypot(inCrop[0] - template[2 * p], inCrop[1] - template[2 * p + 1]))
                        .as("landmark %d of the face at x=%.0f", p, face.x1())
                        .isLessThan(eye ? 7 : 24);
            }
        }
    }

    /**
     * The group's faces are about 130 px wide: their 512 crops cover about 220 output pixels at full
     * size and 110 at half size, so they get the smallest crop; a picture enlarged in the output
     * (scale 3) gets the full template. The landmarks land where the scaled template puts them.
     */
    @Test
    void facesAreAlignedAtAboutTheirSizeInTheOutput() {
        for (DetectedFace face : faces) {
            for (double outputScale : new double[] {0.5, 1.0, 1.6, 3.0}) {
                AlignedFace aligned = aligner.align(sample, face, outputScale);
                double cropPerSource = Math.hypot(aligned.affine()[0], aligned.affine()[3]);
                int side = aligned.crop().cols();
                assertThat(aligned.crop().rows()).isEqualTo(side);
                assertThat(side).isEqualTo(FaceTemplate.cropSizeFor(side / cropPerSource * outputScale));
                if (outputScale <= 1.0) {
                    assertThat(side)
                            .as("face at x=%.0f, output scale %.1f", face.x1(), outputScale)
                            .isEqualTo(FaceTemplate.MIN_CROP_SIZE);
                }
                if (outputScale == 3.0) {
                    assertThat(side).isEqualTo(FaceTemplate.CROP_SIZE);
                }
                float[] template = FaceTemplate.FFHQ_512.scaledTo(side).points();
                double[] eye = SimilarityTransform.apply(aligned.affine(), face.landmarkX(0), face.landmarkY(0));
                assertThat(Math.hypot(eye[0] - template[0], eye[1] - template[1]))
                        .isLessThan(7.0 * side / 512);
                aligned.close();
            }
        }
    }

    /**
     * The sample enlarged 4x with a one-pixel checkerboard of 0 and 40 grey levels on top, shrunk to
     * a quarter for the output: its faces' 256 crops take about 3.6 source pixels per crop pixel.
     * Averaged, the checkerboard becomes a flat +20 and the crops match those of the sample itself;
     * a plain bilinear warp picks up the checkerboard as noise (mean difference 5.1).
     */
    @Test
    void cropsSmallerThanTheFaceInTheSourceAreAveragedNotAliased() {
        Mat big = new Mat();
        Imgproc.resize(sample, big, new Size(), 4, 4, Imgproc.INTER_CUBIC);
        big.convertTo(big, -1, 0.8, 20);
        Mat tile = new Mat(2, 2, CvType.CV_8UC3, new org.opencv.core.Scalar(0, 0, 0));
        tile.put(0, 0, new byte[] {40, 40, 40});
        tile.put(1, 1, new byte[] {40, 40, 40});
        Mat checker = new Mat();
        org.opencv.core.Core.repeat(tile, big.rows() / 2, big.cols() / 2, checker);
        org.opencv.core.Core.add(big, checker, big);
        Mat reference = new Mat();
        sample.convertTo(reference, -1, 0.8, 40);
        for (DetectedFace face : faces) {
            DetectedFace scaled = scaled(face, 4);
            try (AlignedFace fromBig = aligner.align(big, scaled, 0.25);
                    AlignedFace fromSample = aligner.align(reference, face, 1.0)) {
                assertThat(fromBig.crop().size()).isEqualTo(fromSample.crop().size());
                Mat diff = new Mat();
                org.opencv.core.Core.absdiff(fromBig.crop(), fromSample.crop(), diff);
                double mean = org.opencv.core.Core.mean(diff).val[0];
                System.out.printf(
                        "face at x=%.0f: crop from the 4x picture vs from the sample: mean abs difference %.2f%n",
                        face.x1(), mean);
                assertThat(mean).isLessThan(2);
            }
        }
    }

    private static DetectedFace scaled(DetectedFace face, float by) {
        float[] landmarks = face.landmarks();
        for (int i = 0; i < landmarks.length; i++) {
            landmarks[i] = (landmarks[i] + 0.5f) * by - 0.5f;
        }
        return new DetectedFace(
                (face.x1() + 0.5f) * by - 0.5f,
                (face.y1() + 0.5f) * by - 0.5f,
                (face.x2() + 0.5f) * by - 0.5f,
                (face.y2() + 0.5f) * by - 0.5f,
                face.score(),
                landmarks);
    }

    @Test
    void inverseAffineMapsTheCropBackOntoTheSource() {
        for (DetectedFace face : faces) {
            double[] affine = aligner.align(sample, face).affine();
            double[] identity = compose(inverse(affine), affine);

            assertThat(identity).containsExactly(new double[] {1, 0, 0, 0, 1, 0}, within(1e-9));
        }
    }

    @Test
    void onlyFacesAtLeastTheMinimumWidthAreLargeEnough() {
        FaceAligner sized = new FaceAligner(FaceTemplate.FFHQ_512, 32);

        assertThat(sized.largeEnough(new DetectedFace(10, 10, 42, 50, 0.9f, new float[10])))
                .isTrue();
        assertThat(sized.largeEnough(new DetectedFace(10, 10, 41.5f, 50, 0.9f, new float[10])))
                .isFalse();
    }

    /**
     * Rotates the sample about its centre (all three faces stay inside), detects again and aligns:
     * the true eyes, i.e. the upright detection's eyes carried through the known rotation, must be
     * level in the crop. The detector's landmarks understate strong rolls (at 45 degrees the crop
     * comes out up to about 6 degrees short), hence the wider tolerance there.
     */
    @ParameterizedTest
    @CsvSource({"30, 3", "45, 8"})
    void alignmentLevelsTheEyesOfARotatedPicture(int degrees, double toleranceDegrees) {
        Mat rotation = Imgproc.getRotationMatrix2D(new Point(sample.cols() / 2.0, sample.rows() / 2.0), degrees, 1);
        double[] rotate = new double[6];
        rotation.get(0, 0, rotate);
        Mat rotated = new Mat();
        Imgproc.warpAffine(sample, rotated, rotation, sample.size());

        List<DetectedFace> found = detector.detect(rotated);

        assertThat(found).hasSize(3);
        for (DetectedFace upright : faces) {
            double[] centre = SimilarityTransform.apply(rotate, centreX(upright), centreY(upright));
            DetectedFace face = found.stream()
                    .min(Comparator.comparingDouble(f -> Math.hypot(centreX(f) - centre[0], centreY(f) - centre[1])))
                    .orElseThrow();
            double[] toCrop = compose(aligner.align(rotated, face).affine(), rotate);
            double[] left = SimilarityTransform.apply(
                    toCrop, upright.landmarkX(DetectedFace.LEFT_EYE), upright.landmarkY(DetectedFace.LEFT_EYE));
            double[] right = SimilarityTransform.apply(
                    toCrop, upright.landmarkX(DetectedFace.RIGHT_EYE), upright.landmarkY(DetectedFace.RIGHT_EYE));
            double tilt = Math.toDegrees(Math.atan2(right[1] - left[1], right[0] - left[0]));
            System.out.printf(
                    "rotated %d deg: face at x=%.0f, eye line in the crop %.2f deg%n", degrees, upright.x1(), tilt);
            assertThat(tilt).isCloseTo(0, within(toleranceDegrees));
        }
    }

    private static float centreX(DetectedFace face) {
        return (face.x1() + face.x2()) / 2;
    }

    private static float centreY(DetectedFace face) {
        return (face.y1() + face.y2()) / 2;
    }

    /** {@code outer} after {@code inner}, both 2x3 affines. */
    /** Inverts as blend-stage does when it maps the crop back onto the picture. */
    private static double[] inverse(double[] affine) {
        Mat forward = new Mat(2, 3, CvType.CV_64F);
        Mat inverse = new Mat();
        try {
            forward.put(0, 0, affine);
            Imgproc.invertAffineTransform(forward, inverse);
            double[] result = new double[6];
            inverse.get(0, 0, result);
            return result;
        } finally {
            forward.release();
            inverse.release();
        }
    }

    private static double[] compose(double[] outer, double[] inner) {
        return new double[] {
            outer[0] * inner[0] + outer[1] * inner[3],
            outer[0] * inner[1] + outer[1] * inner[4],
            outer[0] * inner[2] + outer[1] * inner[5] + outer[2],
            outer[3] * inner[0] + outer[4] * inner[3],
            outer[3] * inner[1] + outer[4] * inner[4],
            outer[3] * inner[2] + outer[4] * inner[5] + outer[5]
        };
    }
}
