package io.animegan.video;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.video.DISOpticalFlow;

/** Per-frame cost at 1280x720: the filter's flow and blend against the generator (figures only). */
class TimingTest {

  @TempDir Path dir;

  @Test
  void flowAndFilterAgainstGeneratorAt720p() throws Exception {
    Mat photo = TestClips.photo("street-railway.jpg", 720);
    Path clip = TestClips.write(dir.resolve("pan720.mp4"),
        new TestClips.Spec().size(1280, 720).frames(6).bitrate(8_000_000).painter(TestClips.pan(photo, 4, false)));
    photo.release();
    List<Mat> frames = Clips.frames(clip);
    long flowNanos = 0;
    try (OpticalFlow flow = new OpticalFlow(DISOpticalFlow.PRESET_MEDIUM, 320); TrackedMats mats = new TrackedMats()) {
      Mat a = mats.newMat();
      Mat b = mats.newMat();
      Mat f = mats.newMat();
      flow.small(frames.get(0), a);
      for (int i = 1; i < frames.size(); i++) {
        long t = System.nanoTime();
        flow.small(frames.get(i), b);
        flow.flow(b, a, f);
        flow.flow(a, b, f);
        flowNanos += System.nanoTime() - t;
        b.copyTo(a);
      }
    }
    long filterNanos = 0;
    double generatorMs;
    try (OnnxStylizer generator = new OnnxStylizer("animeganv3-cute-tiny.onnx", 16, 2);
         TemporalFilter filter = new TemporalFilter()) {
      generator.stylize(frames.get(0)).release();
      generator.stylize(frames.get(0)).release();
      OnnxStylizer timed = generator;
      for (Mat frame : frames) {
        Mat y = timed.stylize(frame);
        long t = System.nanoTime();
        filter.apply(frame, y);
        filterNanos += System.nanoTime() - t;
        y.release();
      }
      generatorMs = generator.millisPerFrame();
    }
    System.out.printf("1280x720: two DIS MEDIUM flows at 320x180 %.1f ms/frame, whole filter %.1f ms/frame, "
            + "animeganv3-cute-tiny (2 threads) %.0f ms/frame (mean over %d calls incl. 2 warm-up)%n",
        flowNanos / 1e6 / (frames.size() - 1), filterNanos / 1e6 / frames.size(), generatorMs, frames.size() + 2);
    Clips.release(frames);
  }
}
