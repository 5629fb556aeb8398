package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Rect;

/** The tile layout; TiledStylizerIT runs the tiled generator on full-size pictures. */
class TiledStylizerTest {

    static {
        OpenCv.load();
    }

    private static final long BUDGET = 1_500_000;

    @Test
    void tilesCoverThePictureWithinTheBudgetAndOverlap() {
        for (int[] size : new int[][] {{3840, 2160}, {2560, 1440}, {4096, 4096}, {4096, 512}, {1300, 1100}}) {
            List<Rect> tiles = TiledStylizer.layout(size[0], size[1], BUDGET);
            int[][] cover = new int[size[1]][size[0]];
            for (Rect tile : tiles) {
                assertThat((long) tile.width * tile.height).isLessThanOrEqualTo(BUDGET);
                assertThat(tile.width).isEqualTo(tiles.get(0).width);
                for (int y = tile.y; y < tile.y + tile.height; y++) {
                    for (int x = tile.x; x < tile.x + tile.width; x++) {
                        cover[y][x]++;
                    }
                }
            }
            for (Rect tile : tiles) {
                if (tile.x > 0) {
                    assertThat(cover[tile.y + tile.height / 2][tile.x + TiledStylizer.OVERLAP - 1])
                            .as("overlap left")
                            .isGreaterThan(1);
                }
            }
            long uncovered = Arrays.stream(cover)
                    .flatMapToInt(Arrays::stream)
                    .filter(n -> n == 0)
                    .count();
            assertThat(uncovered)
                    .as("pixels of %dx%d in no tile", size[0], size[1])
                    .isZero();
        }
    }
}
