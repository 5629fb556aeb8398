package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class FacePasterTest {

    private static final int CROP = 512;

    @org.junit.jupiter.api.BeforeAll
    static void loadOpenCv() {
        io.animegan.common.image.OpenCv.load();
    }

    /** A crop with a textured "face": stripes inside, so the clone's gradients are visible. */
    private static Mat stripedCrop() {
        Mat crop = new Mat(CROP, CROP, CvType.CV_8UC3, new Scalar(40, 40, 200));
        for (int x = 0; x < CROP; x += 16) {
            Imgproc.line(crop, new Point(x, 0), new Point(x, CROP), new Scalar(250, 250, 250), 4);
        }
        return crop;
    }

    private static Mat picture() {
        return new Mat(400, 600, CvType.CV_8UC3, new Scalar(90, 140, 60));
    }

    /** Crop-to-picture transform that scales the crop by s and puts its centre at (cx, cy). */
    private static Mat placing(double s, double cx, double cy) {
        Mat m = new Mat(2, 3, CvType.CV_64F);
        m.put(0, 0, s, 0, cx - s * CROP / 2, 0, s, cy - s * CROP / 2);
        return m;
    }

    @Test
    void pastesInsideTheMaskAndLeavesTheRestAlone() {
        Mat picture = picture();
        Mat before = picture.clone();
        FacePaster.Pasted pasted =
                FacePaster.normalClone().paste(picture, stripedCrop(), PasteMask.ellipse(CROP), placing(0.4, 300, 200));

        assertThat(pasted).isNotNull();
        Mat mask = pasted.maskInPicture(picture.size());
        assertThat(mask.get(200, 300)[0]).as("mask in picture coordinates").isEqualTo(255);
        assertThat(mask.get(10, 10)[0]).isZero();
        Mat centre = picture.submat(new Rect(280, 190, 40, 40));
        org.opencv.core.MatOfDouble stddev = new org.opencv.core.MatOfDouble();
        Core.meanStdDev(centre, new org.opencv.core.MatOfDouble(), stddev);
        assertThat(stddev.get(0, 0)[0]).as("the stripes' texture arrived").isGreaterThan(20);
        Mat far = new Mat();
        Core.absdiff(picture.submat(new Rect(0, 0, 100, 100)), before.submat(new Rect(0, 0, 100, 100)), far);
        assertThat(Core.norm(far, Core.NORM_INF))
                .as("far from the face nothing changes")
                .isZero();
    }

    @Test
    void facesCrossingTheBorderArePasted() {
        for (Point centre :
                new Point[] {new Point(10, 200), new Point(300, 5), new Point(595, 395), new Point(-40, -40)}) {
            Mat picture = picture();
            Mat before = picture.clone();
            FacePaster.Pasted pasted = FacePaster.normalClone()
                    .paste(picture, stripedCrop(), PasteMask.ellipse(CROP), placing(0.4, centre.x, centre.y));
            assertThat(pasted).isNotNull();
            Mat diff = new Mat();
            Core.absdiff(picture, before, diff);
            assertThat(Core.norm(diff, Core.NORM_INF))
                    .as("changed near %s", centre)
                    .isGreaterThan(30);
        }
    }

    @Test
    void facesWhollyOutsideAreSkipped() {
        Mat picture = picture();
        FacePaster.Pasted pasted = FacePaster.normalClone()
                .paste(picture, stripedCrop(), PasteMask.ellipse(CROP), placing(0.2, -500, 200));
        assertThat(pasted).isNull();
    }

    @Test
    void cropToPictureInvertsTheAlignmentAndScales() {
        // source -> crop: scale 2, shift (10, 20); output picture is the source at half size.
        double[] sourceToCrop = {2, 0, 10, 0, 2, 20};
        Mat back = CropToPicture.transform(sourceToCrop, 0.5, 0.5);
        double[] m = new double[6];
        back.get(0, 0, m);
        // crop point (110, 220) came from source (50, 100) -> output (25, 50)
        assertThat(m[0] * 110 + m[1] * 220 + m[2]).isCloseTo(25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m[3] * 110 + m[4] * 220 + m[5]).isCloseTo(50, org.assertj.core.data.Offset.offset(1e-9));
    }
}
