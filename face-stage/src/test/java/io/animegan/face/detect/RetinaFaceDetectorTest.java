package io.animegan.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

class RetinaFaceDetectorTest {

    static final String MODEL = "retinaface-mobilenet0.25.onnx";
    static final String SAMPLE = "group-of-three.jpg";
    /** From the README, detected at 900x900 network input. */
    private static final float[][] EXPECTED_BOXES = {
        {107.5f, 245.3f, 239.3f, 401.0f},
        {363.1f, 199.9f, 488.8f, 362.8f},
        {624.7f, 373.3f, 735.0f, 525.1f}
    };

    private static OnnxModel model;
    private static RetinaFaceDetector detector;
    private static Mat sample;

    @BeforeAll
    static void load() {
        model = OnnxModel.load(TestAssets.requireModel(MODEL), MODEL, 0);
        detector = new RetinaFaceDetector(model);
        sample = ImageCodec.decode(TestAssets.sampleBytes(SAMPLE));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            detector.close();
            model.close();
        }
    }

    @Test
    void decodesExactlyTheReferenceBoxesAtTheReferenceInputSize() {
        try (RetinaFaceDetector unresized = new RetinaFaceDetector(model, 0.8f, 900)) {
            assertBoxes(unresized.detect(sample), 0.5f);
        }
    }

    @Test
    void findsTheThreeFacesLeftToRightAtTheDefaultInputSize() {
        // The network sees 840x840 here, not 900x900: its boxes move by up to about 5 px.
        assertBoxes(detector.detect(sample), 7f);
    }

    private static void assertBoxes(List<DetectedFace> faces, float tolerance) {
        assertThat(faces).hasSize(3);
        for (int i = 0; i < 3; i++) {
            DetectedFace face = faces.get(i);
            assertThat(face.score()).isGreaterThan(0.99f);
            assertThat(new float[] {face.x1(), face.y1(), face.x2(), face.y2()})
                    .containsExactly(EXPECTED_BOXES[i], within(tolerance));
        }
    }

    @Test
    void landmarksLieInsideTheirBoxWithEyesAboveNoseAboveMouth() {
        for (DetectedFace face : detector.detect(sample)) {
            for (int p = 0; p < DetectedFace.LANDMARK_COUNT; p++) {
                assertThat(face.landmarkX(p)).isBetween(face.x1(), face.x2());
                assertThat(face.landmarkY(p)).isBetween(face.y1(), face.y2());
            }
            float eyes = Math.max(face.landmarkY(DetectedFace.LEFT_EYE), face.landmarkY(DetectedFace.RIGHT_EYE));
            float mouth = Math.min(face.landmarkY(DetectedFace.LEFT_MOUTH), face.landmarkY(DetectedFace.RIGHT_MOUTH));
            assertThat(eyes).isLessThan(face.landmarkY(DetectedFace.NOSE));
            assertThat(face.landmarkY(DetectedFace.NOSE)).isLessThan(mouth);
            assertThat(face.landmarkX(DetectedFace.LEFT_EYE)).isLessThan(face.landmarkX(DetectedFace.RIGHT_EYE));
            assertThat(face.landmarkX(DetectedFace.LEFT_MOUTH)).isLessThan(face.landmarkX(DetectedFace.RIGHT_MOUTH));
        }
    }

    @Test
    void findsTheSameFacesInASmallPictureThatIsNotEnlarged() {
        Mat small = new Mat();
        Imgproc.resize(sample, small, new Size(600, 600), 0, 0, Imgproc.INTER_AREA);

        List<DetectedFace> faces = detector.detect(small);

        assertThat(faces).hasSize(3);
        // Coordinates are in the small picture's pixels.
        assertThat(faces.get(2).x1()).isCloseTo(EXPECTED_BOXES[2][0] * 600 / 900, within(4f));
    }

    /** A large, non-square picture: shrunk to 840x560 and mapped back per axis without padding. */
    @Test
    void mapsFacesOfALargeNonSquarePictureBackToItsPixels() {
        Mat band = sample.submat(150, 750, 0, 900);
        Mat large = new Mat();
        Imgproc.resize(band, large, new Size(1800, 1200), 0, 0, Imgproc.INTER_CUBIC);

        List<DetectedFace> faces = detector.detect(large);

        assertThat(faces).hasSize(3);
        for (int i = 0; i < 3; i++) {
            float[] expected = EXPECTED_BOXES[i];
            DetectedFace face = faces.get(i);
            assertThat(new float[] {face.x1(), face.y1(), face.x2(), face.y2()})
                    .containsExactly(
                            new float[] {
                                expected[0] * 2, (expected[1] - 150) * 2, expected[2] * 2, (expected[3] - 150) * 2
                            },
                            within(14f));
        }
    }

    @Test
    void findsNoFaceInAGradient() {
        Mat ramp = new Mat(1, 256, CvType.CV_8UC1);
        byte[] values = new byte[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) i;
        }
        ramp.put(0, 0, values);
        Size size = new Size(800, 600);
        Mat horizontal = new Mat();
        Mat vertical = new Mat();
        Imgproc.resize(ramp, horizontal, size);
        Imgproc.resize(ramp.t(), vertical, size);
        Mat gradient = new Mat();
        Core.merge(List.of(horizontal, vertical, new Mat(size, CvType.CV_8UC1, new Scalar(90))), gradient);

        assertThat(detector.detect(gradient)).isEmpty();
    }
}
