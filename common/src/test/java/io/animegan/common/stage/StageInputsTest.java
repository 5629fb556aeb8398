package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A face group's analysis is readable as a face's crop or label map, and nowhere else. */
class StageInputsTest {

    private static final String BUCKET = "b";

    @Test
    void aFaceMayNameItsGroupsAnalysis() {
        FacesDetected event = event(
                "style-2",
                ref(Keys.original("style-2")),
                face(ref(Keys.faceAnalysisCrop("style-1", 0)), ref(Keys.faceAnalysisParsing("style-1", 0))));

        assertThatCode(() -> StageInputs.check(event, BUCKET)).doesNotThrowAnyException();
    }

    @Test
    void anAnalysisIsNoPictureSource() {
        FacesDetected event = event("style-2", ref(Keys.faceAnalysisCrop("style-1", 0)), null);

        assertForbidden(event);
    }

    @Test
    void aFaceNamesNothingElseOfAnotherPicture() {
        assertForbidden(event(
                "style-2",
                ref(Keys.original("style-2")),
                face(ref(Keys.faceCrop("style-1", 0)), ref(Keys.faceParsing("style-2", 0)))));
        assertForbidden(event(
                "style-2",
                ref(Keys.original("style-2")),
                face(ref("analyses/style-1/../../results/x/anime.png"), null)));
        assertForbidden(event("style-2", ref(Keys.original("style-2")), face(ref("analyses/style-1"), null)));
        assertForbidden(event(
                "style-2",
                ref(Keys.original("style-2")),
                face(new BlobRef("other", Keys.faceAnalysisCrop("style-1", 0)), null)));
    }

    private static void assertForbidden(FacesDetected event) {
        assertThatThrownBy(() -> StageInputs.check(event, BUCKET))
                .isInstanceOfSatisfying(
                        StageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN_KEY));
    }

    private static BlobRef ref(String key) {
        return new BlobRef(BUCKET, key);
    }

    private static FacesDetected event(String id, BlobRef source, Face face) {
        return FacesDetected.newBuilder()
                .setImageId(id)
                .setSource(source)
                .setWidth(100)
                .setHeight(100)
                .setOptions(Options.newBuilder().setStyle("animeganv2-hayao").build())
                .setFaces(face == null ? List.of() : List.of(face))
                .setTrace(new Trace("t", 1L, Map.of()))
                .build();
    }

    private static Face face(BlobRef crop, BlobRef parsing) {
        return Face.newBuilder()
                .setIndex(0)
                .setScore(0.9f)
                .setBox(List.of(0f, 0f, 10f, 10f))
                .setLandmarks(List.of())
                .setAffine(List.of())
                .setCrop(crop)
                .setParsing(parsing)
                .build();
    }
}
