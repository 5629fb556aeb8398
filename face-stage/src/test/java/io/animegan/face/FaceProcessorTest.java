package io.animegan.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class FaceProcessorTest {

    static {
        OpenCv.load();
    }

    @Test
    void cropsAreSizedForTheOutputWhichIsNeverEnlarged() {
        Mat picture = new Mat(900, 1200, CvType.CV_8UC3);
        assertThat(FaceProcessor.outputScale(picture, 600)).isEqualTo(0.5);
        assertThat(FaceProcessor.outputScale(picture, 1920)).isEqualTo(1.0);
        assertThat(FaceProcessor.outputScale(picture, 0))
                .as("refused later by stylize-stage")
                .isEqualTo(1.0);
        picture.release();
    }
}
