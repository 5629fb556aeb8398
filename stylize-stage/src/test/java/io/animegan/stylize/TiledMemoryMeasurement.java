package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A measurement, not a regular test: peak resident memory (VmHWM) of the forked test JVM after
 * drawing one picture (default 3840x2560) with the default tile budget, then the time of the
 * tiled picture against the sum of its tiles drawn alone. Run it alone, so the JVM is fresh:
 * {@code mvn -o -pl stylize-stage -am test -Dtest=TiledMemoryMeasurement -Danimegan.measure.memory=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (size: {@code -Danimegan.measure.size=3840x2160}).
 */
class TiledMemoryMeasurement {

    @Test
    void peakResidentMemoryOfA4kPicture() throws Exception {
        assumeTrue(
                Boolean.getBoolean("animegan.measure.memory"),
                "skipped: a measurement, run with -Danimegan.measure.memory=true");
        String[] size = System.getProperty("animegan.measure.size", "3840x2560").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        Path models = TestAssets.requireModel("animeganv2-hayao-int8-fast.onnx");
        StyleCatalogue catalogue = StyleCatalogue.load(models, "int8");
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue, Set.of(), 1, 2, PipelineConfig.DEFAULT_TILE_PIXELS)) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("street-railway.jpg")));
            Mat big = scope.newMat();
            Imgproc.resize(photo, big, new Size(width, height), 0, 0, Imgproc.INTER_CUBIC);
            long start = System.nanoTime();
            Mat drawn = scope.own(generators.stylize("hayao", big));
            long tiledMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(drawn.size()).isEqualTo(big.size());
            System.out.printf(
                    "VmHWM: %d kB%nVmRSS: %d kB%n",
                    ResidentMemory.kib(ResidentMemory.PEAK), ResidentMemory.kib(ResidentMemory.RSS));

            var tiles = TiledStylizer.layout(width, height, PipelineConfig.DEFAULT_TILE_PIXELS);
            long tilesMs = 0;
            try (StyleGenerator alone = StyleGenerator.load(
                    catalogue.resolve("hayao"),
                    models,
                    catalogue.availability(catalogue.resolve("hayao")).modelFile(),
                    2)) {
                for (Rect tile : tiles) {
                    long t = System.nanoTime();
                    scope.own(alone.stylize(scope.own(big.submat(tile))));
                    tilesMs += (System.nanoTime() - t) / 1_000_000;
                }
            }
            System.out.printf(
                    "hayao int8 %dx%d in %d tiles of at most %d px: %d ms; its tiles drawn alone: %d ms (ratio %.2f)%n",
                    width,
                    height,
                    tiles.size(),
                    PipelineConfig.DEFAULT_TILE_PIXELS,
                    tiledMs,
                    tilesMs,
                    (double) tiledMs / tilesMs);
        }
    }
}
