package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.FaceStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Acceptance 2 to 4 on the other sample photos with faces (street-railway.jpg has none), and the
 * group photo turned by -45 degrees.
 */
class OtherSamplesAcceptanceIT {

    private static InProcessPipeline pipeline;

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

    @ParameterizedTest
    @ValueSource(strings = {"couple-oranges.jpg", "portrait-headphones.jpg"})
    void seamlessSameFacesSameColours(String sample) throws Exception {
        Mat source = ImageCodec.decode(TestAssets.sampleBytes(sample));
        InProcessPipeline.Run run =
                pipeline.run(source, 1920, FaceStyle.newBuilder().build());
        String name = sample.replace(".jpg", "");
        Path dir = Files.createDirectories(Path.of("target", "acceptance"));
        Imgcodecs.imwrite(dir.resolve(name + "-result.png").toString(), run.result());
        Imgcodecs.imwrite(
                dir.resolve(name + "-overlay.png").toString(),
                DebugOverlay.draw(run.result(), run.faces(), run.outcomes(), run.scaleX(), run.scaleY()));
        Acceptance.assertSeamless(name, run, false);
        Acceptance.assertSameFaces(name, run, pipeline);
        Acceptance.assertSkinColour(name, run);
    }

    /** Surgical masks drawn over the group's lower faces: masked faces are enhanced without a seam. */
    @Test
    void facesWearingMasks() throws Exception {
        Mat source = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
        for (io.animegan.face.detect.DetectedFace face : pipeline.detect(source)) {
            float noseY = face.landmarkY(io.animegan.face.detect.DetectedFace.NOSE);
            org.opencv.core.MatOfPoint mask = new org.opencv.core.MatOfPoint(
                    new Point(face.x1() + 0.05 * face.width(), noseY - 0.05 * face.height()),
                    new Point(face.x2() - 0.05 * face.width(), noseY - 0.05 * face.height()),
                    new Point(face.x2() - 0.15 * face.width(), face.y2()),
                    new Point(face.x1() + 0.15 * face.width(), face.y2()));
            Imgproc.fillPoly(source, java.util.List.of(mask), new org.opencv.core.Scalar(235, 215, 190));
        }
        InProcessPipeline.Run run =
                pipeline.run(source, 1920, FaceStyle.newBuilder().build());
        Path dir = Files.createDirectories(Path.of("target", "acceptance"));
        Imgcodecs.imwrite(dir.resolve("masks-result.png").toString(), run.result());
        System.out.printf(
                "acceptance 5, masks: %d faces enhanced, regions %s%n",
                run.faces().size(),
                run.analyzed().stream()
                        .map(io.animegan.face.FaceAnalyzer.AnalyzedFace::regions)
                        .toList());
        assertThat(run.faces()).isNotEmpty();
        assertThat(run.outcomes()).allMatch(BlendedFace::isPasted);
        Acceptance.assertSeamless("masks", run, false);
    }

    /** The limit for rotated faces, the other way round from the 30-degree robustness case. */
    @Test
    void rotatedByMinus45Degrees() throws Exception {
        Mat source = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
        Mat rotated = new Mat();
        Mat rotation = Imgproc.getRotationMatrix2D(new Point(source.cols() / 2.0, source.rows() / 2.0), -45, 1);
        Imgproc.warpAffine(source, rotated, rotation, source.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
        InProcessPipeline.Run run =
                pipeline.run(rotated, 1920, FaceStyle.newBuilder().build());
        Imgcodecs.imwrite(
                Files.createDirectories(Path.of("target", "acceptance"))
                        .resolve("rotated-minus-45-result.png")
                        .toString(),
                run.result());
        System.out.printf(
                "acceptance 5, rotated -45: %d faces enhanced%n", run.faces().size());
        assertThat(run.faces()).hasSize(3);
        assertThat(run.outcomes()).allMatch(BlendedFace::isPasted);
        Acceptance.assertSeamless("rotated-minus-45", run, false);
        Acceptance.assertSkinColour("rotated-minus-45", run);
    }
}
