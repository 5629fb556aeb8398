package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class FastHdTest {

    /**
     * A 1080p picture drawn at 768 comes out at 1920x1080 with more detail than the small drawing
     * upsampled bicubically. Prints the time against the generator's time at 768 (no assertion on
     * time). With {@code -Danimegan.fasthd.crops=DIR} it also draws the picture at full size and
     * writes 100 % crops (full | fast HD) for the README.
     */
    @Test
    void fastHdHasTheOutputSizeAndThePhotosDetail() throws Exception {
        StyleCatalogue catalogue =
                StyleCatalogue.load(TestAssets.requireModel("animeganv2-hayao-int8-fast.onnx"), "int8");
        try (MatScope scope = new MatScope();
                Generators generators = new Generators(catalogue, Set.of(), 1, 2)) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("street-railway.jpg")));
            Mat picture = scope.newMat();
            Imgproc.resize(photo, picture, new Size(1920, 1080), 0, 0, Imgproc.INTER_CUBIC);
            OutputSize small = OutputSize.fit(1920, 1080, 768);
            Mat photoSmall = scope.newMat();
            Imgproc.resize(picture, photoSmall, new Size(small.width(), small.height()), 0, 0, Imgproc.INTER_AREA);
            scope.own(generators.stylize("hayao", photoSmall));

            long t0 = System.nanoTime();
            Mat drawnSmall = scope.own(generators.stylize("hayao", photoSmall));
            long t1 = System.nanoTime();
            Mat fast = scope.own(generators.stylize("hayao", picture, 768));
            long t2 = System.nanoTime();
            System.out.printf(
                    "fast HD 1920x1080 at 768: %d ms; generator alone at %dx%d: %d ms; ratio %.2f%n",
                    (t2 - t1) / 1_000_000,
                    small.width(),
                    small.height(),
                    (t1 - t0) / 1_000_000,
                    (double) (t2 - t1) / (t1 - t0));

            assertThat(fast.size()).isEqualTo(picture.size());
            Mat bicubic = scope.newMat();
            Imgproc.resize(drawnSmall, bicubic, picture.size(), 0, 0, Imgproc.INTER_CUBIC);
            double fastEnergy = fineDetailEnergy(fast, scope);
            double bicubicEnergy = fineDetailEnergy(bicubic, scope);
            System.out.printf(
                    "fine-detail energy: fast HD %.1f, bicubic %.1f; gradient energy: fast HD %.1f, bicubic %.1f%n",
                    fastEnergy, bicubicEnergy, gradientEnergy(fast, scope), gradientEnergy(bicubic, scope));
            assertThat(fastEnergy)
                    .as("more fine detail than a bicubic upsample")
                    .isGreaterThan(1.2 * bicubicEnergy);
            assertThat(meanAbsDiff(fast, bicubic, scope))
                    .as("the drawing's colours kept")
                    .isLessThan(20);

            String crops = System.getProperty("animegan.fasthd.crops");
            if (crops != null) {
                Mat full = scope.own(generators.stylize("hayao", picture));
                writeCrop(Path.of(crops), full, fast, scope);
            }
        }
    }

    /**
     * Mean squared difference between the grey picture and its blur (sigma 1.5 px): the detail
     * finer than a pixel of the 768 drawing, which a plain upsample cannot have.
     */
    static double fineDetailEnergy(Mat bgr, MatScope scope) {
        Mat grey = scope.newMat();
        Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
        grey.convertTo(grey, CvType.CV_32F);
        Mat blurred = scope.newMat();
        Imgproc.GaussianBlur(grey, blurred, new Size(0, 0), 1.5);
        Core.subtract(grey, blurred, grey);
        Core.multiply(grey, grey, grey);
        return Core.mean(grey).val[0];
    }

    /** Mean squared Sobel gradient of the grey picture. */
    static double gradientEnergy(Mat bgr, MatScope scope) {
        Mat grey = scope.newMat();
        Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
        Mat gx = scope.newMat();
        Mat gy = scope.newMat();
        Imgproc.Sobel(grey, gx, CvType.CV_32F, 1, 0);
        Imgproc.Sobel(grey, gy, CvType.CV_32F, 0, 1);
        Core.multiply(gx, gx, gx);
        Core.multiply(gy, gy, gy);
        Core.add(gx, gy, gx);
        return Core.mean(gx).val[0];
    }

    private static double meanAbsDiff(Mat a, Mat b, MatScope scope) {
        Mat diff = scope.newMat();
        Core.absdiff(a, b, diff);
        var mean = Core.mean(diff);
        return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    }

    private static void writeCrop(Path dir, Mat full, Mat fast, MatScope scope) throws Exception {
        Files.createDirectories(dir);
        Rect region = new Rect(1180, 300, 360, 300);
        Mat both = scope.newMat();
        Core.hconcat(List.of(scope.own(full.submat(region)), scope.own(fast.submat(region))), both);
        Imgcodecs.imwrite(
                dir.resolve("fast-hd-crops.jpg").toString(),
                both,
                scope.own(new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 82)));
    }
}
