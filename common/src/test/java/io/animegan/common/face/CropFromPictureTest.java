package io.animegan.common.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.animegan.common.image.MatScope;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class CropFromPictureTest {

    /** Source to crop: half size, shifted by 10 crop pixels. */
    private static final double[] HALF = {0.5, 0, -10, 0, 0.5, -10};

    @Test
    void coversFacesNearTheirOutputSizeButNotCropsMuchEnlargedForSmallFaces() {
        double[] same = {1, 0, 0, 0, 1, 0};
        // A 256 crop of a face drawn 256 px wide in the output.
        assertThat(CropFromPicture.covers(same, 256, 1, 1)).isTrue();
        // 180 output pixels clamped up to the smallest crop: enlarged 1.42x.
        assertThat(CropFromPicture.covers(same, 256, 180 / 256.0, 180 / 256.0)).isTrue();
        // A face 128 px in the output, enlarged twice to the smallest crop.
        assertThat(CropFromPicture.covers(same, 256, 0.5, 0.5)).isFalse();
        // A big face in a 512 crop, 1024 px in the output.
        assertThat(CropFromPicture.covers(HALF, 512, 1, 1)).isTrue();
        // A forged transform.
        assertThat(CropFromPicture.covers(new double[] {1, 0, 0}, 256, 1, 1)).isFalse();
    }

    @Test
    void cutsTheCropAtTheFacesPlaceAveragingThePixelsItSpans() {
        try (MatScope scope = new MatScope()) {
            // Picture value = x, so a crop pixel's value says where in the picture it came from.
            Mat picture = scope.own(new Mat(200, 200, CvType.CV_8UC3));
            for (int x = 0; x < 200; x++) {
                picture.col(x).setTo(new org.opencv.core.Scalar(x, x, x));
            }
            // Output at twice the source: a crop pixel spans 4 picture pixels, crop x = (px / 2) / 2 - 10.
            Mat crop = scope.own(CropFromPicture.warp(picture, HALF, 32, 2, 2));
            assertThat(crop.size().width).isEqualTo(32);
            assertThat(crop.type()).isEqualTo(CvType.CV_8UC3);
            for (int c = 0; c < 32; c++) {
                assertThat(crop.get(5, c)[0]).as("crop column %d", c).isCloseTo(4 * c + 40, within(1.0));
            }
        }
    }

    @Test
    void replicatesTheEdgeWhereTheCropReachesPastThePicture() {
        try (MatScope scope = new MatScope()) {
            Mat picture = scope.own(new Mat(40, 40, CvType.CV_8UC3, new org.opencv.core.Scalar(90, 90, 90)));
            // Crop pixels 0..9 lie left of the picture.
            Mat crop = scope.own(CropFromPicture.warp(picture, new double[] {1, 0, 10, 0, 1, 10}, 64, 1, 1));
            assertThat(crop.get(0, 0)[0]).isEqualTo(90);
            assertThat(crop.get(63, 63)[0]).isEqualTo(90);
        }
    }
}
