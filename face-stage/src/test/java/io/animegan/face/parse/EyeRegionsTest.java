package io.animegan.face.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** Synthetic label maps: skin everywhere, a pair of glasses drawn as two filled lenses. */
class EyeRegionsTest {

    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0};
    private static final float[] TEMPLATE = FaceTemplate.FFHQ_512.points();

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static Mat skin() {
        return new Mat(512, 512, CvType.CV_8UC1, new Scalar(FaceRegion.SKIN.index()));
    }

    private static Mat withGlasses() {
        Mat labels = skin();
        Scalar glasses = new Scalar(FaceRegion.EYE_G.index());
        Imgproc.rectangle(labels, new Point(140, 205), new Point(245, 280), glasses, -1);
        Imgproc.rectangle(labels, new Point(267, 205), new Point(372, 280), glasses, -1);
        Imgproc.line(labels, new Point(245, 225), new Point(267, 225), glasses, 4);
        return labels;
    }

    private static int count(Mat labels, FaceRegion region) {
        return FaceParser.pixelCounts(labels)[region.index()];
    }

    @Test
    void addsBothEyesInsideTheLenses() {
        Mat labels = withGlasses();
        int glassesBefore = count(labels, FaceRegion.EYE_G);

        int added = EyeRegions.addEyesBehindGlasses(labels, TEMPLATE, IDENTITY, 40);

        assertThat(added).isEqualTo(2);
        int right = count(labels, FaceRegion.R_EYE);
        int left = count(labels, FaceRegion.L_EYE);
        System.out.printf(
                "eyes behind glasses: r_eye %d px, l_eye %d px, glasses %d -> %d px%n",
                right, left, glassesBefore, count(labels, FaceRegion.EYE_G));
        // Ellipse of 0.20 x 0.085 eye distances (126 px): about 850 px each.
        assertThat(right).isBetween(700, 1000);
        assertThat(left).isBetween(700, 1000);
        assertThat(count(labels, FaceRegion.EYE_G)).isEqualTo(glassesBefore - right - left);
        assertThat(count(labels, FaceRegion.SKIN)).as("skin untouched").isEqualTo(512 * 512 - glassesBefore);
        // The person's right eye is on the image's left.
        assertThat(labels.get(240, 193)[0]).isEqualTo(FaceRegion.R_EYE.index());
        assertThat(labels.get(240, 319)[0]).isEqualTo(FaceRegion.L_EYE.index());
        assertThat(FaceParser.regionsPresent(labels, 40)).contains("eyes", "glasses");
    }

    @Test
    void followsTheLandmarksThroughTheAffineAndStaysInsideTheGlasses() {
        Mat labels = skin();
        // A small lens only around the right eye, and the crop shifted by (10, -5) from the source.
        Imgproc.rectangle(labels, new Point(175, 232), new Point(230, 252), new Scalar(FaceRegion.EYE_G.index()), -1);
        float[] source = TEMPLATE.clone();
        for (int i = 0; i < source.length; i += 2) {
            source[i] -= 20;
            source[i + 1] += 5;
        }
        double[] shift = {1, 0, 20, 0, 1, -5};

        assertThat(EyeRegions.addEyesBehindGlasses(labels, source, shift, 40))
                .as("no glasses at the left eye")
                .isEqualTo(1);
        Mat eye = new Mat();
        Core.compare(labels, new Scalar(FaceRegion.R_EYE.index()), eye, Core.CMP_EQ);
        Rect box = Imgproc.boundingRect(eye);
        assertThat(box.x).isGreaterThanOrEqualTo(175);
        assertThat(box.x + box.width - 1).isLessThanOrEqualTo(230);
        assertThat(box.y).isGreaterThanOrEqualTo(232);
        assertThat(box.y + box.height - 1).isLessThanOrEqualTo(252);
    }

    @Test
    void leavesParsedEyesAndFacesWithoutGlassesAlone() {
        Mat plain = skin();
        assertThat(EyeRegions.addEyesBehindGlasses(plain, TEMPLATE, IDENTITY, 40))
                .isZero();

        Mat labels = withGlasses();
        Imgproc.ellipse(
                labels,
                new Point(193, 240),
                new org.opencv.core.Size(20, 8),
                0,
                0,
                360,
                new Scalar(FaceRegion.R_EYE.index()),
                -1);
        Imgproc.ellipse(
                labels,
                new Point(319, 240),
                new org.opencv.core.Size(20, 8),
                0,
                0,
                360,
                new Scalar(FaceRegion.L_EYE.index()),
                -1);
        Mat before = labels.clone();
        assertThat(EyeRegions.addEyesBehindGlasses(labels, TEMPLATE, IDENTITY, 40))
                .isZero();
        assertThat(Core.countNonZero(diff(labels, before))).isZero();
    }

    private static Mat diff(Mat a, Mat b) {
        Mat d = new Mat();
        Core.absdiff(a, b, d);
        return d;
    }
}
