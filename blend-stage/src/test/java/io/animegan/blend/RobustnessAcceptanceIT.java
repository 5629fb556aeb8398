package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.FaceStyle;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Acceptance 5: pictures made from the samples that are hard on blending. None may crash,
 * every face above the minimum size must be enhanced, and no face may leave a visible box
 * (acceptance 2's seam check).
 */
class RobustnessAcceptanceIT {

    private static InProcessPipeline pipeline;
    private static final FaceStyle DEFAULTS = FaceStyle.newBuilder().build();

    @BeforeAll
    static void load() {
        pipeline = new InProcessPipeline();
    }

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Mat sample(String name) {
        return ImageCodec.decode(TestAssets.sampleBytes(name));
    }

    /** Runs the pipeline, saves the result, checks that every face found was pasted and the seams. */
    private static InProcessPipeline.Run runAndCheck(String name, Mat source, int maxSide) throws Exception {
        long t0 = System.nanoTime();
        InProcessPipeline.Run run = pipeline.run(source, maxSide, DEFAULTS);
        System.out.printf(
                "acceptance 5, %s: %dx%d, %d faces enhanced (widths %s px), %.1f s%n",
                name,
                source.cols(),
                source.rows(),
                run.faces().size(),
                run.faces().stream().map(f -> String.format("%.0f", f.width())).toList(),
                (System.nanoTime() - t0) / 1e9);
        Path dir = Files.createDirectories(Path.of("target", "acceptance"));
        Imgcodecs.imwrite(dir.resolve(name + "-result.png").toString(), run.result());
        Imgcodecs.imwrite(
                dir.resolve(name + "-overlay.png").toString(),
                DebugOverlay.draw(run.result(), run.faces(), run.outcomes(), run.scaleX(), run.scaleY()));
        for (BlendedFace outcome : run.outcomes()) {
            assertThat(outcome.isPasted())
                    .as("%s face %d enhanced (%s)", name, outcome.index(), outcome.skipped())
                    .isTrue();
        }
        Acceptance.assertSeamless(name, run, false);
        return run;
    }

    @Test
    void rotatedBy30Degrees() throws Exception {
        Mat source = sample("group-of-three.jpg");
        Mat rotated = new Mat();
        Mat rotation = Imgproc.getRotationMatrix2D(new Point(source.cols() / 2.0, source.rows() / 2.0), 30, 1);
        Imgproc.warpAffine(source, rotated, rotation, source.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);

        InProcessPipeline.Run run = runAndCheck("rotated-30", rotated, 1920);

        assertThat(run.faces()).hasSize(3);
        Acceptance.assertSameFaces("rotated-30", run, pipeline);
        Acceptance.assertSkinColour("rotated-30", run);
    }

    /**
     * Faces cut in half by the picture's right and top edges. RetinaFace still finds a face cut at
     * its middle on these two (not on every face: the left man's is lost when cut from the left).
     */
    @Test
    void facesCutInHalfByTheBorder() throws Exception {
        Mat group = sample("group-of-three.jpg");
        // The middle man's face spans x 360..490: keep the picture left of its middle.
        Mat right = group.submat(new Rect(0, 0, 425, group.rows())).clone();
        InProcessPipeline.Run run = runAndCheck("half-off-right-border", right, 1920);
        assertThat(run.faces())
                .as("the left man and the middle man's half face")
                .hasSize(2);
        assertThat(run.faces().get(1).box()[2])
                .as("the half face's box reaches past the border")
                .isGreaterThan(425);

        Mat portrait = sample("portrait-headphones.jpg");
        // The face spans y 108..578: cut the picture through its middle, below the eyes.
        Mat top = portrait.submat(new Rect(0, 343, portrait.cols(), portrait.rows() - 343))
                .clone();
        InProcessPipeline.Run cut = runAndCheck("half-off-top-border", top, 1920);
        assertThat(cut.faces()).hasSize(1);
        assertThat(cut.faces().get(0).box()[1])
                .as("the face's box starts above the picture")
                .isLessThan(0);
    }

    @Test
    void tinyFacesOf40PixelsAreEnhancedAndSmallerOnesLeftToTheFullPicture() throws Exception {
        Mat source = sample("group-of-three.jpg");
        Mat tiny = new Mat();
        // Faces 114..136 px wide become 35..42 px: above the 32-px minimum.
        Imgproc.resize(source, tiny, new Size(), 0.31, 0.31, Imgproc.INTER_AREA);
        InProcessPipeline.Run run = runAndCheck("tiny-40px", tiny, 1920);
        assertThat(run.faces()).hasSize(3);

        Mat tinier = new Mat();
        Imgproc.resize(source, tinier, new Size(), 0.2, 0.2, Imgproc.INTER_AREA);
        InProcessPipeline.Run below = pipeline.run(tinier, 1920, DEFAULTS);
        int detected = (int)
                pipeline.detect(tinier).stream().filter(f -> f.score() > 0).count();
        long tooSmall = pipeline.detect(tinier).stream()
                .filter(f -> f.width() < FaceAligner.DEFAULT_MIN_FACE_WIDTH)
                .count();
        Mat diff = new Mat();
        Core.absdiff(below.result(), below.stylized(), diff);
        System.out.printf(
                "acceptance 5, faces of 23..27 px: %d detected, %d below the %d-px minimum, %d enhanced; result vs full-picture pass max diff %.0f%n",
                detected,
                tooSmall,
                FaceAligner.DEFAULT_MIN_FACE_WIDTH,
                below.faces().size(),
                Core.norm(diff, Core.NORM_INF));
        assertThat(below.faces()).isEmpty();
        assertThat(Core.norm(diff, Core.NORM_INF))
                .as("left to the full-picture pass")
                .isZero();
    }

    @Test
    void aFace1600PixelsWide() throws Exception {
        Mat source = sample("portrait-headphones.jpg");
        DetectedFace face = pipeline.detect(source).get(0);
        double scale = 1600 / face.width();
        Mat large = new Mat();
        Imgproc.resize(source, large, new Size(), scale, scale, Imgproc.INTER_CUBIC);
        double cx = (face.x1() + face.x2()) / 2 * scale;
        double cy = (face.y1() + face.y2()) / 2 * scale;
        int side = 2000;
        int x = (int) Math.max(0, Math.min(large.cols() - side, cx - side / 2.0));
        int y = (int) Math.max(0, Math.min(large.rows() - side, cy - side / 2.0));
        Mat picture = large.submat(new Rect(x, y, Math.min(side, large.cols()), Math.min(side, large.rows())))
                .clone();
        large.release();

        InProcessPipeline.Run run = runAndCheck("face-1600px", picture, 1920);

        assertThat(run.faces()).hasSize(1);
        assertThat(run.faces().get(0).width()).as("detected width").isBetween(1400f, 1800f);
        // No soft, blurred face in a crisp picture: the face keeps the stylization's fine detail.
        BlendedFace outcome = run.outcomes().get(0);
        Mat mask = outcome.pasted().maskInPicture(run.result().size());
        Imgproc.erode(mask, mask, Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(41, 41)));
        double inResult = Core.mean(SeamMetric.gradient(run.result()), mask).val[0];
        double inStylized = Core.mean(SeamMetric.gradient(run.stylized()), mask).val[0];
        System.out.printf(
                "acceptance 5, face-1600px: mean gradient inside the face %.2f in the result, %.2f in the full-picture pass (ratio %.2f)%n",
                inResult, inStylized, inResult / inStylized);
        assertThat(inResult / inStylized).as("detail inside the enlarged face").isGreaterThan(0.8);
        Acceptance.assertSkinColour("face-1600px", run);
    }
}
