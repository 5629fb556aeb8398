package io.animegan.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.testing.TestAssets;
import io.animegan.video.FrameSize;
import io.animegan.video.SegmentDecoder;
import io.animegan.video.SegmentPlan;
import io.animegan.video.SegmentPlanner;
import io.animegan.video.VideoInfo;
import io.animegan.video.VideoProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** The video bench's own clip and its flicker meter, on a short clip. */
class VideoBenchPartsTest {

    @TempDir
    Path dir;

    @Test
    void panClipIs720pAt30FpsWithSoundAndTheMeterSeesFlicker() throws Exception {
        Path clip = PanClip.write(TestAssets.requireSample("street-railway.jpg"), 0.3, dir.resolve("pan.mp4"));
        VideoInfo info = new VideoProbe().probe(clip);
        assertThat(info.displayWidth()).isEqualTo(1280);
        assertThat(info.displayHeight()).isEqualTo(720);
        assertThat(info.frameRate().value()).isEqualTo(30.0);
        assertThat(info.frameCount()).isEqualTo(9);
        assertThat(info.hasAudio()).isTrue();

        // Drawn: the frame with ±8 levels of brightness flicker; output: the frame as it is.
        SegmentPlan plan = new SegmentPlanner().plan(info);
        try (FlickerMeter meter = new FlickerMeter(320, 5);
                SegmentDecoder decoder = new SegmentDecoder(clip, info, FrameSize.of(info, 320))) {
            Mat drawn = new Mat();
            decoder.decode(plan, plan.segment(0), (i, warmUp, bgr) -> {
                bgr.convertTo(drawn, -1, 1.0, i % 2 == 0 ? 8 : -8);
                meter.add(bgr, drawn, bgr);
            });
            drawn.release();
            System.out.printf(
                    "pan clip at 320x180: warp error %.2f frame by frame, %.2f steady, ΔE2000 %.2f%n",
                    meter.drawnWarpError(), meter.outputWarpError(), meter.meanDeltaE());
            assertThat(meter.pairs()).isEqualTo(8);
            assertThat(meter.deltaEFrames()).isEqualTo(2);
            assertThat(meter.drawnWarpError()).isGreaterThan(150);
            assertThat(meter.ratio()).isLessThan(0.2);
            assertThat(meter.meanDeltaE()).isGreaterThan(1);
        }
    }
}
