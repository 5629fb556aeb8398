package io.animegan.common.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FaceTemplateTest {

    @Test
    void aFaceGetsACropOfAboutItsSizeInTheOutputWithinTheBounds() {
        assertThat(FaceTemplate.cropSizeFor(100)).isEqualTo(FaceTemplate.MIN_CROP_SIZE);
        assertThat(FaceTemplate.cropSizeFor(256)).isEqualTo(256);
        assertThat(FaceTemplate.cropSizeFor(257)).isEqualTo(288);
        assertThat(FaceTemplate.cropSizeFor(400)).isEqualTo(416);
        assertThat(FaceTemplate.cropSizeFor(512)).isEqualTo(512);
        assertThat(FaceTemplate.cropSizeFor(2000)).isEqualTo(FaceTemplate.CROP_SIZE);
        for (int side = 1; side < 1200; side += 7) {
            assertThat(FaceTemplate.cropSizeFor(side) % FaceTemplate.CROP_MULTIPLE)
                    .isZero();
        }
    }

    @Test
    void aScaledTemplateKeepsTheLayout() {
        FaceTemplate half = FaceTemplate.FFHQ_512.scaledTo(256);
        assertThat(half.size()).isEqualTo(256);
        float[] full = FaceTemplate.FFHQ_512.points();
        float[] scaled = half.points();
        for (int i = 0; i < full.length; i++) {
            assertThat(scaled[i]).isCloseTo(full[i] / 2, within(1e-4f));
        }
    }

    @Test
    void areasScaleWithTheSquareOfTheCrop() {
        assertThat(FaceTemplate.scaledArea(40, FaceTemplate.CROP_SIZE)).isEqualTo(40);
        assertThat(FaceTemplate.scaledArea(40, 256)).isEqualTo(10);
    }
}
