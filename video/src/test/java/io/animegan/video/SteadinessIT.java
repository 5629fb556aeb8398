package io.animegan.video;

import static io.animegan.video.SteadinessTest.filtered;
import static io.animegan.video.SteadinessTest.stylized;
import static io.animegan.video.SteadinessTest.warpError;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ColourDifference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** The temporal filter's acceptance figure with a real generator (a model run: the integration tier). */
class SteadinessIT {

    @TempDir
    Path dir;

    @Test
    void animeganCuteTinyOnAPan() throws Exception {
        Mat photo = TestClips.photo("street-railway.jpg", 180);
        // The unit tier's pan (SteadinessTest), of which the first 40 frames are drawn.
        List<Mat> pan = Clips.frames(TestClips.write(
                dir.resolve("pan.mp4"), new TestClips.Spec().frames(60).painter(TestClips.pan(photo, 1.7, false))));
        photo.release();
        List<Mat> source = pan.subList(0, 40);
        List<Mat> y;
        double generatorMs;
        try (OnnxStylizer generator = new OnnxStylizer("animeganv3-cute-tiny.onnx", 16, 2)) {
            generator.stylize(source.get(0)).release();
            y = stylized(source, generator);
            generatorMs = generator.millisPerFrame();
        }
        long[] nanos = {0};
        List<Mat> o = filtered(source, y, TemporalFilter.Settings.DEFAULT, nanos);
        double raw = warpError(source, y);
        double steady = warpError(source, o);
        double deltaE = 0;
        for (int i = 0; i < source.size(); i++) {
            deltaE += ColourDifference.meanCiede2000(o.get(i), y.get(i));
        }
        deltaE /= source.size();
        System.out.printf(
                "animeganv3-cute-tiny on a pan (320x180): warp error %.2f -> %.2f, ratio %.3f; "
                        + "mean ΔE2000 to frame-by-frame %.2f; generator %.1f ms/frame, filter (2 DIS flows + blend) %.1f ms/frame%n",
                raw, steady, steady / raw, deltaE, generatorMs, nanos[0] / 1e6 / source.size());
        assertThat(steady / raw).isLessThanOrEqualTo(0.8);
        assertThat(deltaE).isLessThanOrEqualTo(3.0);
        Clips.release(y);
        Clips.release(o);
        Clips.release(pan);
    }
}
