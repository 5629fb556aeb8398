package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

class SeamPlacementTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static Mat faceDisc() {
        Mat face = Mat.zeros(512, 512, CvType.CV_8UC1);
        Imgproc.circle(face, new Point(256, 256), 180, new Scalar(255), -1);
        return face;
    }

    private static Mat allInside() {
        return new Mat(512, 512, CvType.CV_8UC1, new Scalar(255));
    }

    /** A flat picture with busy stripes in a ring between radius {@code from} and {@code to}. */
    private static Mat busyRing(int from, int to) {
        Mat picture = new Mat(512, 512, CvType.CV_8UC3, new Scalar(120, 130, 140));
        for (int r = from; r <= to; r += 3) {
            Imgproc.circle(picture, new Point(256, 256), r, new Scalar(20, 20, 20), 1);
        }
        return picture;
    }

    @Test
    void candidatesRunFromInwardToOutwardAndScaleWithTheFace() {
        int[] normal = SeamPlacement.candidates(1, 0.25);
        assertThat(normal).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(normal[0]).isEqualTo(SeamPlacement.MAX_INWARD);
        assertThat(normal).contains(24, -16, 32, -32);
        int[] huge = SeamPlacement.candidates(1, 5);
        assertThat(huge).contains(40, 24, 12, 2, 1, -1, -2, -16, -32);
    }

    @Test
    void avoidsAnEdgeOnTheOutlineByGoingInside() {
        // Stripes right on the outline and just outside it, calm inside: the seam goes in.
        CropView view = new CropView(busyRing(170, 230), allInside());
        int offset = SeamPlacement.offset(faceDisc(), view, 0.25);
        System.out.printf("busy outline: seam offset %d crop px%n", offset);
        assertThat(offset).isGreaterThanOrEqualTo(24);
    }

    @Test
    void goesOutsideWhenTheInsideIsBusy() {
        CropView view = new CropView(busyRing(60, 185), allInside());
        int offset = SeamPlacement.offset(faceDisc(), view, 0.25);
        System.out.printf("busy face: seam offset %d crop px%n", offset);
        assertThat(offset).isNegative();
    }

    @Test
    void prefersTheMostInwardSeamWhenAllAreAlike() {
        Mat flat = new Mat(512, 512, CvType.CV_8UC3, new Scalar(120, 130, 140));
        Imgproc.GaussianBlur(flat, flat, new Size(3, 3), 0);
        assertThat(SeamPlacement.offset(faceDisc(), new CropView(flat, allInside()), 0.25))
                .isEqualTo(SeamPlacement.MAX_INWARD);
    }
}
