package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class SkinToneTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void anOrangeFaceTakesTheSkinColourOfThePictureAround() {
        Mat labels = SyntheticFaces.labels();
        Mat face = SyntheticFaces.crop(labels, new Scalar(60, 140, 240), 6);
        Mat reference = SyntheticFaces.crop(labels, new Scalar(170, 185, 225), 6);
        Mat skin = new Mat();
        Core.compare(labels, new Scalar(1), skin, Core.CMP_EQ);
        double before = deltaE(face, reference, skin);

        assertThat(SkinTone.match(face, reference, skin)).isTrue();

        double after = deltaE(face, reference, skin);
        System.out.printf("skin ΔE to the reference: %.1f before, %.1f after matching%n", before, after);
        assertThat(before).isGreaterThan(20);
        assertThat(after).isLessThan(1.5);
        double[][] faceStats = SkinTone.meanStd(SkinTone.lab(face), skin);
        double[][] referenceStats = SkinTone.meanStd(SkinTone.lab(reference), skin);
        assertThat(faceStats[1][0]).as("L spread").isCloseTo(referenceStats[1][0], within(1.0));
    }

    @Test
    void tooLittleSkinLeavesTheFaceAlone() {
        Mat face = new Mat(64, 64, CvType.CV_8UC3, new Scalar(60, 140, 240));
        Mat before = face.clone();
        Mat skin = Mat.zeros(64, 64, CvType.CV_8UC1);
        skin.submat(0, 10, 0, 10).setTo(new Scalar(255));
        assertThat(SkinTone.match(face, new Mat(64, 64, CvType.CV_8UC3, new Scalar(0, 0, 0)), skin))
                .isFalse();
        Mat diff = new Mat();
        Core.absdiff(face, before, diff);
        assertThat(Core.norm(diff, Core.NORM_INF)).isZero();
    }

    private static double deltaE(Mat a, Mat b, Mat mask) {
        double[] x = Core.mean(SkinTone.lab(a), mask).val;
        double[] y = Core.mean(SkinTone.lab(b), mask).val;
        return Math.sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) + (x[2] - y[2]) * (x[2] - y[2]));
    }
}
