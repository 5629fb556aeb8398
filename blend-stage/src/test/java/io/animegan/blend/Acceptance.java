package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.face.detect.DetectedFace;
import java.util.List;
import org.opencv.core.Mat;

/** The acceptance checks shared by the sample and robustness tests; each prints its figures. */
final class Acceptance {

    private Acceptance() {}

    /**
     * Acceptance 2: every pasted face passes the seam check. For comparison, the same faces pasted
     * naively (the generator's crop as a whole square, no mask, no blending) are measured the same
     * way; with {@code naiveMustFail} the naive paste of the picture must fail the check (at least
     * one of its faces above the limit), as a box that can be seen does.
     *
     * @return the worst (largest) seam ratio of the pasted faces
     */
    static double assertSeamless(String picture, InProcessPipeline.Run run, boolean naiveMustFail) {
        double worst = 0;
        double worstNaive = 0;
        for (FaceLayers face : run.faces()) {
            BlendedFace outcome = run.outcome(face.index());
            if (!outcome.isPasted()) {
                continue;
            }
            Mat mask = outcome.pasted().maskInPicture(run.result().size());
            SeamMetric.Seam seam = SeamMetric.measure(run.result(), run.stylized(), mask);
            Mat naive = run.stylized().clone();
            Mat square = SeamMetric.naiveRectanglePaste(naive, face.stylized(), outcome.cropToPicture());
            SeamMetric.Seam naiveSeam = SeamMetric.measure(naive, run.stylized(), square);
            System.out.printf(
                    "acceptance 2, %s face %d: pasted: %s -> %s | naive rectangle: %s%n",
                    picture,
                    face.index(),
                    seam,
                    seam.passes() ? "pass" : "FAIL",
                    naiveSeam.measured()
                            ? naiveSeam + (naiveSeam.passes() ? " -> pass" : " -> fail")
                            : "its edges lie outside the picture");
            assertThat(seam.measured())
                    .as("%s face %d seam measured", picture, face.index())
                    .isTrue();
            worst = Math.max(worst, seam.ratio());
            if (naiveSeam.measured()) {
                worstNaive = Math.max(worstNaive, naiveSeam.ratio());
            }
            mask.release();
            naive.release();
            square.release();
        }
        System.out.printf(
                "acceptance 2, %s: worst seam ratio %.2f pasted, %.2f naive rectangle (limit %.1f)%n",
                picture, worst, worstNaive, SeamMetric.LIMIT);
        assertThat(worst)
                .as("%s: worst seam ratio of the pasted faces", picture)
                .isLessThanOrEqualTo(SeamMetric.LIMIT);
        if (naiveMustFail) {
            assertThat(worstNaive)
                    .as("%s: a naive rectangular paste fails the check", picture)
                    .isGreaterThan(SeamMetric.LIMIT);
        }
        return worst;
    }

    /** Acceptance 3: every enhanced face found again, its landmarks within 4% of the box width. */
    static void assertSameFaces(String picture, InProcessPipeline.Run run, InProcessPipeline pipeline) {
        List<DetectedFace> inResult = pipeline.detect(run.result());
        System.out.printf(
                "acceptance 3, %s: %d faces in the input, %d in the result%n",
                picture, run.analyzed().size(), inResult.size());
        for (int i = 0; i < run.analyzed().size(); i++) {
            FaceChecks.Identity identity =
                    FaceChecks.identity(run.analyzed().get(i).detected(), run.scaleX(), run.scaleY(), inResult);
            System.out.printf("acceptance 3, %s face %d: %s%n", picture, i, identity);
            assertThat(identity.found())
                    .as("%s face %d found in the result", picture, i)
                    .isTrue();
            assertThat(identity.worst())
                    .as("%s face %d worst landmark error", picture, i)
                    .isLessThanOrEqualTo(FaceChecks.LANDMARK_TOLERANCE);
        }
    }

    /** Acceptance 4: pasted skin within ΔE 12 of the full-picture stylization's skin. */
    static void assertSkinColour(String picture, InProcessPipeline.Run run) {
        for (FaceLayers face : run.faces()) {
            BlendedFace outcome = run.outcome(face.index());
            if (!outcome.isPasted()) {
                continue;
            }
            double deltaE = FaceChecks.skinDeltaE(run.result(), run.stylized(), face, outcome);
            System.out.printf(
                    "acceptance 4, %s face %d: skin ΔE %.1f (limit %.0f)%n",
                    picture, face.index(), deltaE, FaceChecks.MAX_DELTA_E);
            assertThat(deltaE)
                    .as("%s face %d skin ΔE", picture, face.index())
                    .isLessThanOrEqualTo(FaceChecks.MAX_DELTA_E);
        }
    }
}
