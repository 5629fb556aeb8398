package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import io.animegan.events.FaceStyle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

class RegionStylerTest {

    private static Mat labels;
    private static Mat photo;
    private static Mat stylized;

    @BeforeAll
    static void draw() {
        OpenCv.load();
        labels = SyntheticFaces.labels();
        photo = SyntheticFaces.crop(labels, new Scalar(150, 170, 220), 12);
        stylized = SyntheticFaces.crop(labels, new Scalar(120, 150, 235), 0);
    }

    private static FaceStyle all(float strength, float sharpen) {
        return FaceStyle.newBuilder()
                .setSkin(strength)
                .setEyes(strength)
                .setBrows(strength)
                .setLips(strength)
                .setHair(strength)
                .setGlasses(strength)
                .setSharpen(sharpen)
                .build();
    }

    /** The photo side of the drawn face; the caller closes it. */
    private static FacePhoto facePhoto() {
        return FacePhoto.of(photo.clone(), labels.clone());
    }

    private static double maxDiff(Mat a, Mat b) {
        Mat d = new Mat();
        Core.absdiff(a, b, d);
        return Core.norm(d, Core.NORM_INF);
    }

    @Test
    void strengthOneEverywhereIsTheGeneratorsOutput() {
        try (FacePhoto face = facePhoto()) {
            assertThat(maxDiff(RegionStyler.style(stylized, face, all(1, 1)), stylized))
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void strengthZeroEverywhereIsTheCleanedUpPhoto() {
        try (FacePhoto face = facePhoto()) {
            Mat out = RegionStyler.style(stylized, face, all(0, 0));
            Mat cleaned = RegionStyler.photoVersion(face, 0);
            // Inside the face (the parts); the background is no part and stays stylized.
            Rect inside = new Rect(150, 150, 212, 250);
            assertThat(maxDiff(out.submat(inside), cleaned.submat(inside))).isLessThanOrEqualTo(1);
            Rect corner = new Rect(0, 0, 40, 40);
            assertThat(maxDiff(out.submat(corner), stylized.submat(corner))).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void eachRegionGetsItsOwnStrength() {
        FaceStyle style =
                FaceStyle.newBuilder().setSkin(0.25f).setEyes(0.5f).setHair(1).build();
        try (RegionMasks masks = RegionMasks.of(labels)) {
            Mat weight = RegionStyler.stylizedWeight(masks, style);
            assertThat(weight.get(420, 256)[0]).as("skin").isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
            assertThat(weight.get(240, 193)[0]).as("eye").isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.05));
            assertThat(weight.get(60, 256)[0]).as("hair").isCloseTo(1, org.assertj.core.data.Offset.offset(0.001));
            assertThat(weight.get(5, 5)[0]).as("background stays stylized").isEqualTo(1);
        }
    }

    @Test
    void skinIsSmoothedAndFeaturesAreSharpened() {
        try (FacePhoto face = facePhoto()) {
            Mat cleaned = RegionStyler.photoVersion(face, 1.5);
            Rect cheek = new Rect(180, 300, 40, 40);
            double before = std(photo.submat(cheek));
            double after = std(cleaned.submat(cheek));
            System.out.printf("skin noise std %.1f -> %.1f after edge-preserving smoothing%n", before, after);
            assertThat(after).isLessThan(before * 0.6);
            // Across the lip's lower edge the contrast grows with the unsharp mask.
            Rect lipEdge = new Rect(236, 368, 40, 20);
            assertThat(std(cleaned.submat(lipEdge)))
                    .isGreaterThan(std(RegionStyler.photoVersion(face, 0).submat(lipEdge)));
        }
    }

    private static double std(Mat m) {
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble std = new MatOfDouble();
        Core.meanStdDev(m, mean, std);
        return std.toArray()[1];
    }
}
