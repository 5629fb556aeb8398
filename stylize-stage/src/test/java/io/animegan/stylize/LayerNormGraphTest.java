package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** The graph rewrite of {@link LayerNormGraph} is exact: it changes nothing until statistics are given. */
class LayerNormGraphTest {

    static {
        OpenCv.load();
    }

    /**
     * On one picture: the rewritten model with its own statistics draws what the original draws;
     * fed the statistics it reported, it draws the same again (so the inputs replace exactly the
     * values the layer norms computed); fed other statistics, it draws something else.
     */
    @ParameterizedTest
    @ValueSource(strings = {"animeganv2-hayao-int8.onnx", "animeganv2-hayao-int8-fast.onnx", "animeganv2-hayao.onnx"})
    void sharedStatisticsReproduceTheOriginalModel(String file) {
        Path models = TestAssets.requireModel(file);
        var style = StyleCatalogue.builtIn().resolve("hayao");
        try (MatScope scope = new MatScope();
                StyleGenerator plain = StyleGenerator.load(style, models, file, 2);
                SharedStatisticsModel shared =
                        SharedStatisticsModel.load(models.resolve(file), 2).orElseThrow()) {
            assertThat(shared.layers()).isEqualTo(24);
            Mat picture = scope.own(picture(scope, 320, 256));
            Mat expected = scope.own(plain.stylize(picture));
            LayerStatistics[] own = new LayerStatistics[1];
            Mat unchanged =
                    scope.own(plain.stylize(picture, (in, out, h, w) -> own[0] = shared.run(in, out, h, w, null)));
            Mat fed = scope.own(plain.stylize(picture, (in, out, h, w) -> shared.run(in, out, h, w, own[0])));
            LayerStatistics other =
                    LayerStatistics.combine(java.util.List.of(own[0], scale(own[0], 1.5)), new double[] {0.5, 0.5});
            Mat changed = scope.own(plain.stylize(picture, (in, out, h, w) -> shared.run(in, out, h, w, other)));

            assertThat(meanAbsDiff(unchanged, expected, scope))
                    .as("own statistics: the original model")
                    .isZero();
            assertThat(meanAbsDiff(fed, expected, scope))
                    .as("fed its own statistics")
                    .isLessThanOrEqualTo(0.05);
            assertThat(maxAbsDiff(fed, expected, scope))
                    .as("largest difference fed its own statistics")
                    .isLessThanOrEqualTo(2);
            assertThat(meanAbsDiff(changed, expected, scope))
                    .as("other statistics change the picture")
                    .isGreaterThan(3);
        }
    }

    @Test
    void otherNormalisationsAreNotRecognised() throws Exception {
        for (String file :
                new String[] {"animeganv3-hayao-int8.onnx", "animeganv3-cute-tiny.onnx", "whitebox-cartoon.onnx"}) {
            byte[] bytes = Files.readAllBytes(TestAssets.requireModel(file).resolve(file));
            assertThat(LayerNormGraph.of(bytes)).as(file).isEqualTo(Optional.empty());
        }
    }

    private static LayerStatistics scale(LayerStatistics s, double factor) {
        double[] variance = s.variance().clone();
        for (int i = 0; i < variance.length; i++) {
            variance[i] *= factor;
        }
        return new LayerStatistics(s.mean().clone(), variance);
    }

    /** The middle of a sample photo at {@code width} x {@code height}. */
    static Mat picture(MatScope scope, int width, int height) {
        Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg")));
        Mat small = scope.newMat();
        Imgproc.resize(photo, small, new Size(width, width * photo.rows() / photo.cols()), 0, 0, Imgproc.INTER_AREA);
        return small.submat(new Rect(0, (small.rows() - height) / 2, width, height))
                .clone();
    }

    static double meanAbsDiff(Mat a, Mat b, MatScope scope) {
        Mat diff = scope.newMat();
        Core.absdiff(a, b, diff);
        Scalar mean = Core.mean(diff);
        return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    }

    static double maxAbsDiff(Mat a, Mat b, MatScope scope) {
        Mat diff = scope.newMat();
        Core.absdiff(a, b, diff);
        return Core.minMaxLoc(diff.reshape(1)).maxVal;
    }
}
