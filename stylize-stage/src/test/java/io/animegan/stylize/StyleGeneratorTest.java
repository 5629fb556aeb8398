package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.onnx.ModelNotFoundException;
import io.animegan.common.stage.StageException;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class StyleGeneratorTest {

    private static StyleCatalogue catalogue() {
        return StyleCatalogue.load(TestAssets.requireModel("animeganv3-cute-tiny.onnx"), "int8");
    }

    @Test
    void everyStyleKeepsAnAwkwardSizeAndRestylesThePicture() {
        StyleCatalogue catalogue = catalogue();
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue, Set.of(), 1, 0)) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg")));
            // 300x204: a multiple of 4 but not of 8 or 16, and below the v3 models' minimum side.
            Mat input = scope.own(StylizeProcessor.resize(photo, new OutputSize(300, 204)));
            for (Style style : catalogue.available()) {
                Mat anime = scope.own(generators.stylize(style.id(), input));
                assertThat(anime.size()).as(style.id()).isEqualTo(input.size());
                assertThat(anime.type()).isEqualTo(input.type());
                double diff = meanAbsDiff(anime, input, scope);
                System.out.printf("%s: mean abs difference to the photo %.1f%n", style.id(), diff);
                assertThat(diff)
                        .as("%s restyles (mean abs difference %.1f)", style.id(), diff)
                        .isGreaterThan(5);
                Scalar mean = Core.mean(anime);
                assertThat(mean.val[0] + mean.val[1] + mean.val[2])
                        .as("not black or saturated")
                        .isBetween(150.0, 600.0);
                assertThat(generators.loaded()).containsExactly(style.id());
            }
        }
    }

    @Test
    void whiteboxKeepsThePhotosColoursInBgr() {
        StyleCatalogue catalogue = catalogue();
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue, Set.of(), 1, 0)) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg")));
            Mat input = scope.own(StylizeProcessor.resize(photo, OutputSize.fit(photo.cols(), photo.rows(), 256)));
            Mat cartoon = scope.own(generators.stylize("whitebox-cartoon", input));
            Scalar in = Core.mean(input);
            Scalar out = Core.mean(cartoon);
            for (int c = 0; c < 3; c++) {
                assertThat(Math.abs(in.val[c] - out.val[c]))
                        .as("channel %d mean kept", c)
                        .isLessThan(20);
            }
        }
    }

    @Test
    void sameInputGivesTheSameOutputWithReusedBuffers() {
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue(), Set.of(), 2, 0)) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("portrait-headphones.jpg")));
            Mat input = scope.own(StylizeProcessor.resize(photo, OutputSize.fit(photo.cols(), photo.rows(), 256)));
            Mat first = scope.own(generators.stylize("animeganv3-cute-tiny", input));
            Mat again = scope.own(generators.stylize("animeganv3-cute-tiny", input));
            assertThat(meanAbsDiff(first, again, scope)).isZero();
        }
    }

    @Test
    void keepsAtMostMaxSessionsAndClosesTheLeastRecentlyUsed() {
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue(), Set.of(), 2, 0)) {
            Mat small = scope.own(new Mat(64, 64, org.opencv.core.CvType.CV_8UC3, new Scalar(90, 120, 150)));
            scope.own(generators.stylize("animeganv3-cute-tiny", small));
            scope.own(generators.stylize("whitebox-cartoon", small));
            scope.own(generators.stylize("animeganv3-cute-tiny", small));
            scope.own(generators.stylize("hayao", small));
            assertThat(generators.loaded()).containsExactly("animeganv3-cute-tiny", "animeganv2-hayao");
        }
    }

    @Test
    void refusesUnknownUnservedAndUnavailableStyles(@TempDir Path models) throws Exception {
        Path shared = TestAssets.requireModel("animeganv2-hayao-int8-fast.onnx");
        Files.copy(
                shared.resolve("animeganv2-hayao-int8-fast.onnx"), models.resolve("animeganv2-hayao-int8-fast.onnx"));
        StyleCatalogue catalogue = StyleCatalogue.load(models, "int8").requireDefault();
        try (Generators generators = new Generators(catalogue, Set.of(), 1, 0);
                Generators onlyHayao = new Generators(catalogue, Set.of("hayao"), 1, 0)) {
            assertThatThrownBy(() -> generators.style("vangogh"))
                    .isInstanceOf(StageException.class)
                    .hasMessageContaining("animeganv3-shinkai");
            assertThatThrownBy(() -> generators.style("animeganv3-shinkai"))
                    .isInstanceOf(StageException.class)
                    .hasMessageContaining("unavailable")
                    .hasMessageContaining("animeganv3-shinkai-int8.onnx");
            assertThatThrownBy(() -> onlyHayao.style("whitebox-cartoon"))
                    .isInstanceOf(StageException.class)
                    .hasMessageContaining("not served");
            assertThat(onlyHayao.style("hayao").id()).isEqualTo("animeganv2-hayao");
        }
    }

    @Test
    void aMissingDefaultStyleStopsStartUpNamingTheFile(@TempDir Path empty) {
        assertThatThrownBy(() -> StyleCatalogue.load(empty, "int8").requireDefault())
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("animeganv2-hayao-int8-fast.onnx")
                .hasMessageContaining(empty.toString());
    }

    static double meanAbsDiff(Mat a, Mat b, MatScope scope) {
        Mat diff = scope.newMat();
        Core.absdiff(a, b, diff);
        Scalar mean = Core.mean(diff);
        return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    }

    @Test
    void aStyleDeploymentTakesOnlyItsStylesAndUnknownOnesGoToTheDefaultStylesDeployment() {
        StyleCatalogue catalogue = StyleCatalogue.builtIn();
        try (Generators everything = new Generators(catalogue, Set.of(), 1, 0);
                Generators cute = new Generators(catalogue, Set.of("animeganv3-cute-tiny"), 1, 0);
                Generators rest = new Generators(
                        catalogue,
                        Set.of("hayao", "animeganv3-hayao", "animeganv3-shinkai", "whitebox-cartoon"),
                        1,
                        0)) {
            for (String style : List.of("animeganv3-cute-tiny", "hayao", "whitebox-cartoon", "vangogh")) {
                assertThat(everything.serves(style)).isTrue();
                assertThat(cute.serves(style) ^ rest.serves(style))
                        .as("%s drawn by exactly one deployment", style)
                        .isTrue();
            }
            assertThat(cute.serves("animeganv3-cute-tiny")).isTrue();
            assertThat(rest.serves("vangogh")).isTrue();
            assertThat(StylizeStageApp.applicationId(rest.served()))
                    .isEqualTo(
                            "animegan-stylize-stage.animeganv2-hayao.animeganv3-hayao.animeganv3-shinkai.whitebox-cartoon");
            assertThatThrownBy(() -> new Generators(catalogue, Set.of("vangogh"), 1, 0))
                    .hasMessageContaining("vangogh");
        }
    }
}
