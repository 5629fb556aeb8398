package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.MatScope;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.Generators;
import io.animegan.video.FrameSize;
import io.animegan.video.FrameStylizer;
import io.animegan.video.PipelineClips;
import io.animegan.video.Segment;
import io.animegan.video.SegmentPlan;
import io.animegan.video.SegmentPlanner;
import io.animegan.video.SegmentProcessor;
import io.animegan.video.TemporalFilter;
import io.animegan.video.VideoInfo;
import io.animegan.video.VideoProbe;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A clip of a pan over the sample portrait drawn in segments with {@code faces=true} and a real
 * generator, as the segment drawer draws it: every segment keeps its exact frame count and the
 * face is drawn on its own crop. Prints the cost per frame with faces on and off.
 */
class FaceTrackStylizerIT {

    static final String STYLE = "animeganv3-cute-tiny";
    static final int FRAMES = 30;

    @TempDir
    static Path dir;

    @Test
    void drawsTheFaceOfEveryFrameAndKeepsEveryFrame() throws Exception {
        Path models = TestAssets.requireModel(STYLE + ".onnx");
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        Path clip = PipelineClips.pan(dir.resolve("portrait.mp4"), PortraitPan.SAMPLE, 240, 320, FRAMES);
        VideoInfo info = new VideoProbe().probe(clip);
        FrameSize size = FrameSize.of(info, FrameSize.DEFAULT_LONG_SIDE);
        SegmentPlan plan = new SegmentPlanner(0.6, SegmentPlanner.DEFAULT_WARM_UP_FRAMES, null).plan(info);
        assertThat(plan.segments()).hasSizeGreaterThan(1);
        try (Generators generators = new Generators(StyleCatalogue.load(models, "int8"), Set.of(STYLE), 1, 0);
                OnnxModel detectorModel = OnnxModel.load(models, FaceStageApp.DETECTOR_MODEL, 0)) {
            FrameStylizer frames = bgr -> generators.stylize(STYLE, bgr);
            FrameStylizer crops = bgr -> generators.stylize(STYLE, bgr);
            // The generator's session loads on its first frame, outside the timings.
            try (MatScope warm = new MatScope()) {
                warm.own(frames.stylize(warm.own(Mat.zeros(64, 64, CvType.CV_8UC3))));
            }
            long off = 0;
            long on = 0;
            int drawnFrames = 0;
            int faces = 0;
            for (Segment segment : plan.segments()) {
                long t0 = System.nanoTime();
                Path plain = dir.resolve("plain-" + segment.index() + ".mp4");
                new SegmentProcessor(frames, TemporalFilter.Settings.DEFAULT)
                        .encode(clip, info, plan, segment, size, plain);
                long t1 = System.nanoTime();
                Path withFaces = dir.resolve("faces-" + segment.index() + ".mp4");
                try (FaceTrackStylizer stylizer =
                        FaceTrackStylizer.withDetector(detectorModel, frames, crops, FaceTracker.Settings.DEFAULT)) {
                    new SegmentProcessor(stylizer, TemporalFilter.Settings.DEFAULT)
                            .encode(clip, info, plan, segment, size, withFaces);
                    faces += stylizer.facesDrawn();
                }
                long t2 = System.nanoTime();
                off += t1 - t0;
                on += t2 - t1;
                drawnFrames += segment.frameCount() + segment.warmUpFrames();
                assertThat(PipelineClips.frameCount(withFaces)).isEqualTo(segment.frameCount());
            }
            assertThat(faces).as("one face in every drawn frame").isEqualTo(drawnFrames);
            System.out.printf(
                    "faces in video, %s at %s, temporal on: %.1f ms/frame with faces, %.1f without (x%.2f); load %.1f%n",
                    STYLE,
                    size,
                    on / 1e6 / drawnFrames,
                    off / 1e6 / drawnFrames,
                    (double) on / off,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
