package io.animegan.submission;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.Options;
import io.animegan.submission.Submitter.FaceGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceGroupsTest {

    private static Options style(String style, boolean faces, int maxSide) {
        return Options.newBuilder()
                .setStyle(style)
                .setFaces(faces)
                .setMaxSide(maxSide)
                .build();
    }

    @Test
    void theStylesOfOneUploadShareTheFirstOnesId() {
        List<FaceGroup> groups = Submitter.faceGroups(
                List.of("a", "b", "c"),
                List.of(style("x", true, 1920), style("y", true, 1920), style("z", true, 1920)));

        assertThat(groups).containsExactly(new FaceGroup("a", 3), new FaceGroup("a", 3), new FaceGroup("a", 3));
    }

    @Test
    void oneStyleFacesOffOrAnOutputSizeOfItsOwnIsAnalysedAlone() {
        assertThat(Submitter.faceGroups(List.of("a"), List.of(style("x", true, 1920))))
                .containsExactly((FaceGroup) null);

        List<FaceGroup> groups = Submitter.faceGroups(
                List.of("a", "b", "c", "d"),
                List.of(
                        style("x", false, 1920),
                        style("y", true, 1920),
                        style("z", true, 512),
                        style("w", true, 1920)));

        assertThat(groups).containsExactly(null, new FaceGroup("b", 2), null, new FaceGroup("b", 2));
    }
}
