package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.VideoOptions;
import io.animegan.video.FrameSize;
import org.junit.jupiter.api.Test;

class SegmentDrawerTest {

    private static final VideoOptions DEFAULTS = VideoOptions.newBuilder().build();

    @Test
    void aPreviewIsDrawnAtItsStyleSideForAStyleWithoutMinimumSide() {
        assertThat(SegmentDrawer.previewStyleSide(DEFAULTS, 0, new FrameSize(640, 360)))
                .isEqualTo(SegmentDrawer.PREVIEW_STYLE_SIDE);
    }

    @Test
    void aPreviewIsDrawnWithItsShorterSideAtTheStylesMinimumSide() {
        // 256 x 640 / 360: a 455x256 drawing, which the generator would otherwise scale 256x144 up to.
        assertThat(SegmentDrawer.previewStyleSide(DEFAULTS, 256, new FrameSize(640, 360)))
                .isEqualTo(456);
        assertThat(SegmentDrawer.previewStyleSide(DEFAULTS, 256, new FrameSize(360, 640)))
                .isEqualTo(456);
    }

    @Test
    void aPreviewIsNeverDrawnLargerThanTheFrame() {
        assertThat(SegmentDrawer.previewStyleSide(DEFAULTS, 256, new FrameSize(320, 180)))
                .isEqualTo(320);
        assertThat(SegmentDrawer.previewStyleSide(DEFAULTS, 0, new FrameSize(160, 120)))
                .isEqualTo(160);
    }
}
