package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.FaceStyle;
import io.animegan.face.FaceAnalyzer.AnalyzedFace;
import io.animegan.face.parse.FaceParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Acceptance 1 to 4 on group-of-three.jpg, through the real models in-process with the default
 * face style. The figures are printed for the report; pictures go to target/acceptance.
 */
class GroupPhotoAcceptanceIT {

    private static final boolean[] WEARS_GLASSES = {true, true, false};

    private static InProcessPipeline pipeline;
    private static InProcessPipeline.Run run;

    @BeforeAll
    static void runThePipeline() throws Exception {
        pipeline = new InProcessPipeline();
        Mat source = ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg"));
        long t0 = System.nanoTime();
        run = pipeline.run(source, 1920, FaceStyle.newBuilder().build());
        System.out.printf("group-of-three.jpg through the pipeline in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Path dir = Files.createDirectories(Path.of("target", "acceptance"));
        Imgcodecs.imwrite(dir.resolve("group-of-three-result.png").toString(), run.result());
        Imgcodecs.imwrite(dir.resolve("group-of-three-stylized.png").toString(), run.stylized());
        Imgcodecs.imwrite(
                dir.resolve("group-of-three-overlay.png").toString(),
                DebugOverlay.draw(run.result(), run.faces(), run.outcomes(), run.scaleX(), run.scaleY()));
    }

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void acceptance1EveryFaceHasSkinBothEyesAndHairAndTheMenGlasses() {
        assertThat(run.analyzed()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            AnalyzedFace face = run.analyzed().get(i);
            int[] px = FaceParser.pixelCounts(face.labels());
            System.out.printf(
                    "acceptance 1, face %d: regions %s; skin %d px, r_eye %d px, l_eye %d px, hair %d px, glasses %d px%n",
                    i,
                    face.regions(),
                    px[FaceRegion.SKIN.index()],
                    px[FaceRegion.R_EYE.index()],
                    px[FaceRegion.L_EYE.index()],
                    px[FaceRegion.HAIR.index()],
                    px[FaceRegion.EYE_G.index()]);
            assertThat(face.regions()).contains("skin", "eyes", "hair");
            assertThat(px[FaceRegion.R_EYE.index()])
                    .as("right eye of face %d", i)
                    .isGreaterThanOrEqualTo(40);
            assertThat(px[FaceRegion.L_EYE.index()])
                    .as("left eye of face %d", i)
                    .isGreaterThanOrEqualTo(40);
            if (WEARS_GLASSES[i]) {
                assertThat(face.regions()).as("face %d", i).contains("glasses");
            } else {
                assertThat(face.regions()).as("face %d", i).doesNotContain("glasses");
            }
        }
    }

    @Test
    void acceptance2NoVisibleSeamWhereANaiveRectangleShowsOne() {
        Acceptance.assertSeamless("group-of-three", run, true);
    }

    @Test
    void acceptance3TheDetectorFindsTheSameFacesAndLandmarksInTheResult() {
        Acceptance.assertSameFaces("group-of-three", run, pipeline);
    }

    @Test
    void acceptance4SkinColourStaysWithTheStylizedPicture() {
        Acceptance.assertSkinColour("group-of-three", run);
    }
}
