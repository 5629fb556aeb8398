package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import io.animegan.events.FaceStyle;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

class DebugOverlayTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void drawsParsingBoxAndLandmarksOnACopyAroundEachFace() {
        Mat labels = SyntheticFaces.labels();
        Mat crop = SyntheticFaces.crop(labels, new Scalar(150, 170, 220), 0);
        FaceLayers face = new FaceLayers(
                0,
                crop,
                crop,
                labels,
                SyntheticFaces.sourceToCrop(0.5, 300, 250),
                new float[] {235, 185, 365, 315},
                new float[] {270, 240, 330, 240, 300, 260, 275, 290, 325, 290});
        Mat picture = new Mat(500, 700, CvType.CV_8UC3, new Scalar(90, 140, 60));
        List<BlendedFace> outcomes = new FaceBlender()
                .blend(picture, List.of(face), FaceStyle.newBuilder().build(), 1, 1);
        Mat before = picture.clone();

        Mat overlay = DebugOverlay.draw(picture, List.of(face), outcomes, 1, 1);

        Mat diff = new Mat();
        Core.absdiff(picture, before, diff);
        assertThat(Core.norm(diff, Core.NORM_INF))
                .as("the result is not drawn on")
                .isZero();
        Core.absdiff(overlay, picture, diff);
        Mat grey = new Mat();
        org.opencv.imgproc.Imgproc.cvtColor(diff, grey, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
        assertThat(Core.countNonZero(grey.submat(new Rect(200, 150, 200, 200))))
                .as("drawn around the face")
                .isGreaterThan(5000);
        assertThat(Core.countNonZero(grey.submat(new Rect(600, 0, 100, 100))))
                .as("nothing far away")
                .isZero();
    }
}
