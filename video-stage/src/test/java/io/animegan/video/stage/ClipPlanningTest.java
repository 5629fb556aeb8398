package io.animegan.video.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.VideoOptions;
import io.animegan.video.ClipPlan;
import io.animegan.video.FrameSize;
import io.animegan.video.FrameTimeline;
import io.animegan.video.Rational;
import io.animegan.video.Segment;
import io.animegan.video.SegmentPlanner;
import io.animegan.video.VideoInfo;
import io.animegan.video.VideoSettings;
import org.junit.jupiter.api.Test;

class ClipPlanningTest {

    /** 12 s of 1280x720 at 30 fps. */
    private static VideoInfo clip() {
        int frames = 360;
        long[] pts = new long[frames];
        for (int i = 0; i < frames; i++) {
            pts[i] = i * 512L;
        }
        FrameTimeline timeline = new FrameTimeline(pts, Rational.of(1, 15360), 512);
        return new VideoInfo(
                "mp4",
                "h264",
                1280,
                720,
                0,
                Rational.of(30, 1),
                false,
                Math.round(timeline.durationSeconds() * 1e6),
                frames,
                false,
                null,
                timeline);
    }

    @Test
    void aPreviewIsTheFirstFiveSecondsAtTenFpsAndAtMost640Wide() {
        ClipPlan preview = ClipPlanning.previewPlan(
                VideoSettings.DEFAULT, clip(), VideoOptions.newBuilder().build());

        assertThat(preview.size()).isEqualTo(new FrameSize(640, 360));
        assertThat(preview.plan().frameRate()).isEqualTo(Rational.of(SegmentPlanner.PREVIEW_MAX_FPS, 1));
        Segment segment = preview.plan().preview(SegmentPlanner.PREVIEW_SECONDS);
        assertThat(segment.start()).isZero();
        assertThat(segment.end()).isEqualTo(50);
    }

    @Test
    void aPreviewIsNoLargerThanTheClientsOutput() {
        ClipPlan preview = ClipPlanning.previewPlan(
                VideoSettings.DEFAULT,
                clip(),
                VideoOptions.newBuilder().setMaxSide(320).build());

        assertThat(preview.size()).isEqualTo(new FrameSize(320, 180));
    }
}
