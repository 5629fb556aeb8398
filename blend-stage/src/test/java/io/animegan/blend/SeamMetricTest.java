package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** The seam measure itself, on drawn pictures whose answer is known. */
class SeamMetricTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static Mat texture() {
        Mat picture = new Mat(300, 300, CvType.CV_8UC3, new Scalar(120, 120, 120));
        Mat grain = new Mat(picture.size(), CvType.CV_16SC3);
        Core.setRNGSeed(7);
        Core.randn(grain, 0, 6);
        Core.add(picture, grain, picture, new Mat(), CvType.CV_8UC3);
        return picture;
    }

    private static Mat disc() {
        Mat mask = Mat.zeros(300, 300, CvType.CV_8UC1);
        Imgproc.circle(mask, new Point(150, 150), 80, new Scalar(255), -1);
        return mask;
    }

    @Test
    void anUntouchedPictureHasRatioAboutOne() {
        Mat picture = texture();
        SeamMetric.Seam seam = SeamMetric.measure(picture, picture, disc());
        assertThat(seam.ratio()).isBetween(0.8, 1.2);
    }

    @Test
    void aVisibleStepAlongTheMaskFails() {
        Mat stylized = texture();
        Mat result = stylized.clone();
        Mat brighter = new Mat();
        Core.add(stylized, new Scalar(30, 30, 30), brighter);
        brighter.copyTo(result, disc());
        SeamMetric.Seam seam = SeamMetric.measure(result, stylized, disc());
        System.out.println("a 30-level step along the mask: " + seam);
        assertThat(seam.passes()).isFalse();
    }

    @Test
    void theRingAndTheBandAreWhereTheDefinitionSays() {
        Mat mask = disc();
        Mat ring = SeamMetric.ring(mask);
        assertThat(ring.get(150, 150 + 80)[0]).as("on the contour").isEqualTo(255);
        assertThat(ring.get(150, 150 + 82)[0]).as("2 px outside").isEqualTo(255);
        assertThat(ring.get(150, 150 + 85)[0]).as("5 px outside").isZero();
        Mat band = SeamMetric.band(mask);
        assertThat(band.get(150, 150 + 80 + 5)[0]).isZero();
        assertThat(band.get(150, 150 + 80 + 20)[0]).isEqualTo(255);
        assertThat(band.get(150, 150 + 80 + 35)[0]).isZero();
    }
}
