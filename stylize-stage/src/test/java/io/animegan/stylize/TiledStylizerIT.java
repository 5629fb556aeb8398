package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ColourDifference;
import io.animegan.common.image.Gradient;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The tiled generator on full-size pictures (1440p, 4K) with the real model: minutes of CPU, so
 * in the integration tier; TiledStylizerTest checks the tile layout.
 */
class TiledStylizerIT {

    static {
        OpenCv.load();
    }

    /** Tile budget of the 4K size test. */
    private static final long BUDGET = 1_500_000;

    /**
     * At 1440p (a sample photo upscaled to 2560 wide, 6 tiles at the default budget), the tiled
     * result keeps the untiled result's colours: mean CIE76 ΔE per pixel at full size at most 3 (CIEDE2000
     * printed too); and its tile borders do not show: the gradient on the borders is at most 1.2x
     * the gradient elsewhere. Tiles share the layer statistics (the path of every AnimeGANv2 file).
     *
     * <p>Run on the int8-fast file: the int8 file's untiled result itself carries float32 rounding
     * in its one-step reductions over 118 M values (its layer-0 variance at 1440p is 3.5 % off the
     * int8-fast file's on the same uint8 tensor); against it the tiles reach ΔE 3.3.
     */
    @Test
    void tiledAt1440pMatchesTheWholePictureWithoutVisibleSeams() {
        String file = "animeganv2-hayao-int8-fast.onnx";
        Path models = TestAssets.requireModel(file);
        TiledStylizer tiling = new TiledStylizer(PipelineConfig.DEFAULT_TILE_PIXELS);
        try (MatScope scope = new MatScope();
                StyleGenerator generator =
                        StyleGenerator.load(StyleCatalogue.builtIn().resolve("hayao"), models, file, 2)) {
            Mat picture = scope.own(photo1440p(scope));
            Mat expected = scope.own(generator.stylize(picture));
            long start = System.nanoTime();
            Mat actual = scope.own(
                    tiling.stylize(picture, generator, () -> SharedStatisticsModel.load(models.resolve(file), 2)));
            long tiledMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(actual.size()).isEqualTo(picture.size());

            List<Rect> tiles = TiledStylizer.layout(picture.cols(), picture.rows(), PipelineConfig.DEFAULT_TILE_PIXELS);
            double deltaE = meanDeltaE(expected, actual, scope);
            double ciede2000 = ColourDifference.meanCiede2000(expected, actual);
            double seams = seamGradientRatio(actual, tiles, scope);
            double wholeSeams = seamGradientRatio(expected, tiles, scope);
            System.out.printf(
                    "1440p in %d tiles (%d ms) vs whole: mean dE76 %.2f, dE2000 %.2f; gradient on tile borders / elsewhere %.3f"
                            + " (untiled at the same lines %.3f)%n",
                    tiles.size(), tiledMs, deltaE, ciede2000, seams, wholeSeams);
            assertThat(tiles.size()).isGreaterThan(1);
            assertThat(deltaE)
                    .as("mean CIE76 dE per pixel to the untiled result")
                    .isLessThanOrEqualTo(3);
            assertThat(seams).as("gradient on tile borders / elsewhere").isLessThanOrEqualTo(1.2);
        }
    }

    /** 3840x2560 (4K) through the stage's sizing and the tiled generator keeps its full size. */
    @Test
    void fourKPictureKeepsItsSize() {
        StyleCatalogue catalogue = StyleCatalogue.load(TestAssets.requireModel("animeganv3-cute-tiny.onnx"), "int8");
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue, Set.of(), 1, 2, BUDGET)) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("street-railway.jpg")));
            Mat big = scope.newMat();
            Imgproc.resize(photo, big, new Size(3840, 2560), 0, 0, Imgproc.INTER_CUBIC);
            OutputSize size = OutputSize.fit(big.cols(), big.rows(), 3840);
            assertThat(size).isEqualTo(new OutputSize(3840, 2560));
            Mat sized = StylizeProcessor.resize(big, size);
            Mat drawn = scope.own(generators.stylize("animeganv3-cute-tiny", sized));
            assertThat(drawn.size()).isEqualTo(new Size(3840, 2560));
            assertThat(meanAbsDiff(drawn, big, scope)).as("restyled").isGreaterThan(5);
        }
    }

    /** street-railway (1280x853) upscaled to 2560 wide, its middle 1440 rows. */
    static Mat photo1440p(MatScope scope) {
        Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("street-railway.jpg")));
        Mat big = scope.newMat();
        Imgproc.resize(
                photo,
                big,
                new Size(2560, Math.round(2560.0 * photo.rows() / photo.cols())),
                0,
                0,
                Imgproc.INTER_CUBIC);
        int top = (big.rows() - 1440) / 2;
        return big.submat(new Rect(0, top, 2560, 1440)).clone();
    }

    static double meanDeltaE(Mat a, Mat b, MatScope scope) {
        Mat labA = scope.own(TiledStylizer.lab(a, scope));
        Mat labB = scope.own(TiledStylizer.lab(b, scope));
        Mat diff = scope.newMat();
        Core.subtract(labA, labB, diff);
        Core.multiply(diff, diff, diff);
        Mat sum = scope.newMat();
        List<Mat> channels = new java.util.ArrayList<>();
        Core.split(diff, channels);
        channels.forEach(scope::own);
        Core.add(channels.get(0), channels.get(1), sum);
        Core.add(sum, channels.get(2), sum);
        Core.sqrt(sum, sum);
        return Core.mean(sum).val[0];
    }

    /**
     * Mean gradient magnitude within 2 px of the tiles' inner edges, over the mean gradient
     * magnitude everywhere else.
     */
    static double seamGradientRatio(Mat bgr, List<Rect> tiles, MatScope scope) {
        Mat magnitude = scope.own(Gradient.magnitude(bgr));
        Mat border = scope.own(Mat.zeros(bgr.size(), CvType.CV_8UC1));
        int w = bgr.cols();
        int h = bgr.rows();
        for (Rect t : tiles) {
            for (int x : new int[] {t.x, t.x + t.width}) {
                if (x > 0 && x < w) {
                    Imgproc.rectangle(
                            border,
                            new org.opencv.core.Point(x - 2, t.y),
                            new org.opencv.core.Point(x + 1, t.y + t.height - 1),
                            Scalar.all(255),
                            -1);
                }
            }
            for (int y : new int[] {t.y, t.y + t.height}) {
                if (y > 0 && y < h) {
                    Imgproc.rectangle(
                            border,
                            new org.opencv.core.Point(t.x, y - 2),
                            new org.opencv.core.Point(t.x + t.width - 1, y + 1),
                            Scalar.all(255),
                            -1);
                }
            }
        }
        Mat elsewhere = scope.newMat();
        Core.bitwise_not(border, elsewhere);
        return Core.mean(magnitude, border).val[0] / Core.mean(magnitude, elsewhere).val[0];
    }

    private static double meanAbsDiff(Mat a, Mat b, MatScope scope) {
        Mat diff = scope.newMat();
        Core.absdiff(a, b, diff);
        Scalar mean = Core.mean(diff);
        return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    }
}
