package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ColourDifference;
import org.junit.jupiter.api.Test;

class SegmentPlannerTest {

    static VideoInfo cfr(int frames, long tbDen, long ticksPerFrame, Rational fps) {
        long[] pts = new long[frames];
        for (int i = 0; i < frames; i++) {
            pts[i] = i * ticksPerFrame;
        }
        FrameTimeline timeline = new FrameTimeline(pts, Rational.of(1, tbDen), ticksPerFrame);
        return new VideoInfo(
                "mp4",
                "h264",
                640,
                360,
                0,
                fps,
                false,
                Math.round(timeline.durationSeconds() * 1e6),
                frames,
                false,
                null,
                timeline);
    }

    @Test
    void segmentsCoverEveryFrameOnceInOrder() {
        VideoInfo info = cfr(30 * 61 + 7, 15360, 512, Rational.of(30, 1));
        SegmentPlan plan = new SegmentPlanner().plan(info);
        int next = 0;
        for (Segment s : plan.segments()) {
            assertThat(s.start()).isEqualTo(next);
            assertThat(s.frameCount()).isBetween(110, 130);
            assertThat(s.warmUpStart()).isEqualTo(Math.max(0, s.start() - 8));
            next = s.end();
        }
        assertThat(next).isEqualTo(info.frameCount());
        assertThat(plan.frameCount()).isEqualTo(info.frameCount());
        for (int j = 0; j < plan.frameCount(); j++) {
            assertThat(plan.sourceFrame(j)).isEqualTo(j);
        }
        System.out.println("61.2 s at 30 fps: " + plan);
    }

    @Test
    void fpsCapChoosesFramesByTimestampDeterministically() {
        VideoInfo info = cfr(600, 60000, 1001, Rational.of(60000, 1001));
        SegmentPlan capped = new SegmentPlanner(4, 8, Rational.of(30, 1)).plan(info);
        assertThat(capped.frameRate()).isEqualTo(Rational.of(30, 1));
        assertThat(capped.frameCount()).isEqualTo(Math.round(info.durationSeconds() * 30));
        for (int j = 1; j < capped.frameCount(); j++) {
            assertThat(capped.sourceFrame(j)).isGreaterThan(capped.sourceFrame(j - 1));
            double shown = info.timeline().seconds(capped.sourceFrame(j));
            assertThat(shown).isLessThanOrEqualTo(j / 30.0 + 1 / 120.0);
        }
        assertThat(new SegmentPlanner(4, 8, Rational.of(30, 1)).plan(info).sourceFrames())
                .isEqualTo(capped.sourceFrames());
        // A cap above the source's rate changes nothing.
        assertThat(new SegmentPlanner(4, 8, Rational.of(120, 1)).plan(info).frameCount())
                .isEqualTo(600);
    }

    @Test
    void shortClipIsOneSegment() {
        SegmentPlan plan = new SegmentPlanner().plan(cfr(3, 25, 1, Rational.of(25, 1)));
        assertThat(plan.segments()).containsExactly(new Segment(0, 0, 3, 0));
    }

    @Test
    void previewIsTheFirstSecondsOrTheWholeShortClip() {
        SegmentPlan plan = new SegmentPlanner().plan(cfr(30 * 12, 15360, 512, Rational.of(30, 1)));
        assertThat(plan.preview(SegmentPlanner.PREVIEW_SECONDS)).isEqualTo(new Segment(0, 0, 150, 0));
        SegmentPlan shortClip = new SegmentPlanner().plan(cfr(3, 25, 1, Rational.of(25, 1)));
        assertThat(shortClip.preview(SegmentPlanner.PREVIEW_SECONDS)).isEqualTo(new Segment(0, 0, 3, 0));
    }

    @Test
    void ciede2000ReferencePairs() {
        // Sharma, Wu and Dalal (2005), table 1, pairs 1 and 17.
        assertThat(ColourDifference.ciede2000(50, 2.6772, -79.7751, 50, 0, -82.7485))
                .isCloseTo(2.0425, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(ColourDifference.ciede2000(50, 2.5, 0, 73, 25, -18))
                .isCloseTo(27.1492, org.assertj.core.data.Offset.offset(1e-4));
    }
}
