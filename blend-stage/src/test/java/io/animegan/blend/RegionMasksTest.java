package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class RegionMasksTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void binaryMaskHoldsExactlyThePartsClasses() {
        Mat labels = SyntheticFaces.labels();
        Mat lips = new Mat();
        RegionMasks.binary(labels, FacePart.LIPS, lips);
        Mat expected = new Mat();
        Mat lower = new Mat();
        Core.compare(labels, new Scalar(12), expected, Core.CMP_EQ);
        Core.compare(labels, new Scalar(13), lower, Core.CMP_EQ);
        Core.bitwise_or(expected, lower, expected);
        Core.absdiff(lips, expected, expected);
        assertThat(Core.countNonZero(expected)).isZero();
        assertThat(Core.countNonZero(lips)).isPositive();
    }

    @Test
    void softMasksAreOneInsideZeroFarAwayAndNeverAddUpToMoreThanOne() {
        try (RegionMasks masks = RegionMasks.of(SyntheticFaces.labels())) {
            assertThat(masks.get(FacePart.SKIN).get(420, 256)[0])
                    .as("chin: skin")
                    .isGreaterThan(0.99);
            assertThat(masks.get(FacePart.EYES).get(240, 193)[0])
                    .as("eye centre")
                    .isGreaterThan(0.9);
            assertThat(masks.get(FacePart.EYES).get(300, 193)[0])
                    .as("cheek below the eye")
                    .isLessThan(0.01);
            assertThat(masks.get(FacePart.HAIR).get(60, 256)[0])
                    .as("top of the head")
                    .isGreaterThan(0.99);
            assertThat(masks.get(FacePart.GLASSES).get(240, 193)[0])
                    .as("no glasses drawn")
                    .isZero();
            Mat sum = Mat.zeros(512, 512, CvType.CV_32F);
            for (FacePart part : FacePart.values()) {
                assertThat(masks.get(part).type()).isEqualTo(CvType.CV_32F);
                Core.add(sum, masks.get(part), sum);
            }
            assertThat(Core.minMaxLoc(sum).maxVal).isLessThanOrEqualTo(1.0001);
            // Inside the face the parts share every pixel: no generator output leaks in between them.
            assertThat(Core.minMaxLoc(sum.submat(new org.opencv.core.Rect(170, 170, 172, 200))).minVal)
                    .isGreaterThan(0.999);
            // Soft edge: between skin and hair the masks cross over gradually.
            double skinAtEdge = masks.get(FacePart.SKIN).get(290, 126)[0];
            assertThat(skinAtEdge).isBetween(0.2, 0.8);
        }
    }
}
