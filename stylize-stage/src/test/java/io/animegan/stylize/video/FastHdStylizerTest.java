package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import io.animegan.events.VideoOptions;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;

/** Which size a clip's frames are drawn at. */
class FastHdStylizerTest {

    static {
        OpenCv.load();
    }

    @Test
    void clipsAreDrawnAtTheDefaultSideUnlessTheClientNamesOne() {
        assertThat(SegmentDrawer.styleSide(VideoOptions.newBuilder().build()))
                .isEqualTo(SegmentDrawer.DEFAULT_STYLE_SIDE)
                .isEqualTo(512);
        assertThat(SegmentDrawer.styleSide(
                        VideoOptions.newBuilder().setStyleSide(640).build()))
                .isEqualTo(640);
    }

    @Test
    void aFrameLargerThanTheSideIsShrunkAndOneNoLargerIsDrawnAsItIs() {
        Mat frame = new Mat(720, 1280, CvType.CV_8UC3);
        Mat small = new FastHdStylizer(null, "animeganv3-hayao", 512).shrink(frame);
        assertThat(small.size()).isEqualTo(new Size(512, 288));
        assertThat(new FastHdStylizer(null, "animeganv3-hayao", 1280).shrink(frame))
                .isNull();
        assertThat(new FastHdStylizer(null, "animeganv3-hayao", null).shrink(frame))
                .isNull();
        small.release();
        frame.release();
    }
}
