package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class PasteMaskTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void faceAndHairWithHolesFilledWithoutStraysOrNeck() {
        Mat labels = SyntheticFaces.labels();
        Imgproc.circle(labels, new Point(256, 330), 6, new Scalar(0), -1); // a hole parsed as background
        Imgproc.circle(labels, new Point(40, 40), 10, new Scalar(17), -1); // a stray lock of hair
        Imgproc.rectangle(labels, new Point(200, 470), new Point(310, 511), new Scalar(14), -1); // neck

        Mat region = PasteMask.faceRegion(labels);

        assertThat(region.get(330, 256)[0]).as("hole filled").isEqualTo(255);
        assertThat(region.get(40, 40)[0]).as("stray hair dropped").isZero();
        assertThat(region.get(500, 256)[0]).as("neck left out").isZero();
        assertThat(region.get(60, 256)[0]).as("hair kept").isEqualTo(255);
    }

    @Test
    void offsetMovesTheOutlineInOrOutAndTheCropEdgeStaysClear() {
        Mat region = PasteMask.faceRegion(SyntheticFaces.labels());
        int area = Core.countNonZero(region);
        Mat inward = PasteMask.withOffset(region, 24);
        Mat outward = PasteMask.withOffset(region, -24);
        assertThat(Core.countNonZero(inward)).isLessThan(area);
        assertThat(Core.countNonZero(outward)).isGreaterThan(area);
        // The hair oval's top is at y = 40: 24 px inward it starts at 64.
        assertThat(inward.get(62, 256)[0]).isZero();
        assertThat(inward.get(66, 256)[0]).isEqualTo(255);
        assertThat(outward.get(18, 256)[0]).isEqualTo(255);

        Mat full = new Mat(512, 512, org.opencv.core.CvType.CV_8UC1, new Scalar(255));
        Mat clear = PasteMask.withOffset(full, 0);
        assertThat(Core.countNonZero(clear.submat(new Rect(0, 0, 512, PasteMask.EDGE))))
                .isZero();
        assertThat(clear.get(256, PasteMask.EDGE + 1)[0]).isEqualTo(255);
    }

    @Test
    void featherIsSoftAndBounded() {
        Mat soft = PasteMask.feather(PasteMask.ellipse(512), 8);
        assertThat(soft.get(280, 256)[0]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(soft.get(5, 5)[0]).isZero();
        assertThat(soft.get(280, 106)[0]).as("on the ellipse's edge").isBetween(0.3, 0.7);
    }
}
