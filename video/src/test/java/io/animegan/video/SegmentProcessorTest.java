package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** The segment processor with a guided stylizer: steadied small, upsampled for output frames only. */
class SegmentProcessorTest {

    @TempDir
    static Path dir;

    /** Draws half-size copies with the ±8 flicker stand-in and upsamples them by resizing. */
    static final class HalfSize implements GuidedStylizer {

        final FrameStylizer flicker = Stylizers.flicker();
        final List<Size> drawn = new ArrayList<>();
        int upsampled;
        Mat lastSource;

        @Override
        public Mat shrink(Mat bgr) {
            lastSource = bgr;
            Mat small = new Mat();
            Imgproc.resize(bgr, small, new Size(bgr.cols() / 2.0, bgr.rows() / 2.0), 0, 0, Imgproc.INTER_AREA);
            return small;
        }

        @Override
        public Mat draw(Mat small) {
            drawn.add(small.size());
            return flicker.stylize(small);
        }

        @Override
        public Mat upsample(Mat drawing, Mat small, Mat bgr) {
            upsampled++;
            Mat out = new Mat();
            Imgproc.resize(drawing, out, bgr.size(), 0, 0, Imgproc.INTER_LINEAR);
            return out;
        }
    }

    @Test
    void aGuidedStylizerIsSteadiedAtItsSmallSizeAndUpsampledForOutputFramesOnly() throws Exception {
        Mat photo = TestClips.photo("street-railway.jpg", 180);
        Path clip = TestClips.write(
                dir.resolve("pan.mp4"), new TestClips.Spec().frames(40).painter(TestClips.pan(photo, 1.7, false)));
        photo.release();
        VideoInfo info = new VideoProbe().probe(clip);
        SegmentPlan plan = new SegmentPlanner(1.0, 8, null).plan(info);
        Segment segment = plan.segment(1);
        FrameSize size = FrameSize.of(info, 1280);
        HalfSize stylizer = new HalfSize();
        List<Mat> sources = new ArrayList<>();
        List<Mat> outputs = new ArrayList<>();
        List<Mat> frameByFrame = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();

        SegmentProcessor.Timing timing = new SegmentProcessor(stylizer, TemporalFilter.Settings.DEFAULT)
                .process(clip, info, plan, segment, size, (index, warmUp, bgr) -> {
                    indices.add(index);
                    sources.add(stylizer.lastSource.clone());
                    outputs.add(bgr.clone());
                    frameByFrame.add(stylizer.stylize(stylizer.lastSource));
                });
        // stylize() above draws once more per output frame.
        int drawnBySegment = stylizer.drawn.size() - outputs.size();

        assertThat(segment.warmUpFrames()).isPositive();
        assertThat(drawnBySegment).isEqualTo(segment.warmUpFrames() + segment.frameCount());
        assertThat(stylizer.drawn).allSatisfy(s -> assertThat(s).isEqualTo(new Size(160, 90)));
        assertThat(stylizer.upsampled - outputs.size()).isEqualTo(segment.frameCount());
        assertThat(indices).hasSize(segment.frameCount()).first().isEqualTo(segment.start());
        assertThat(outputs).allSatisfy(m -> assertThat(m.size()).isEqualTo(new Size(320, 180)));
        assertThat(timing.upsampleNanos()).isPositive();
        assertThat(timing.decodeNanos()).isPositive();
        double raw = SteadinessTest.warpError(sources, frameByFrame);
        double steady = SteadinessTest.warpError(sources, outputs);
        System.out.printf("guided, half size: warp error %.1f -> %.1f (ratio %.2f)%n", raw, steady, steady / raw);
        assertThat(steady / raw).isLessThanOrEqualTo(0.6);
        Clips.release(sources);
        Clips.release(outputs);
        Clips.release(frameByFrame);
    }
}
