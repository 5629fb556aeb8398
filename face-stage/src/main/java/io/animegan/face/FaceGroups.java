package io.animegan.face;

import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.storage.Keys;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.StoredFaceAnalysis;
import java.util.List;

/**
 * One analysis per face group (the styles of one upload, see {@code ImageSubmitted.faceGroup}): the
 * first picture of a group to come is analysed and its analysis kept; the others take it over with
 * their own ids and options, or fail with its error, and the last one to come drops it. A picture
 * without a group, or with faces off, is analysed on its own as before.
 *
 * <p>The caller brings all pictures of a group here one after the other (face-stage keys them by
 * group onto one partition), so the first one is well defined.
 *
 * <p>The others' faces name the analysed picture's analysis blobs as they are, without copies. Those
 * blobs are not among its intermediates, which go as soon as it is final, perhaps before its
 * siblings are blended, but are its own, under {@code Keys.faceAnalysisPrefix} of its id, and go
 * with its upload and result at retention expiry: the picture that was analysed always has a status
 * (the status app reads the same records), so nothing is left behind, and its siblings, sent with
 * it, are blended long before a retention has passed since it last changed.
 */
final class FaceGroups {

    /** Where the analyses are kept between the pictures of a group: face-stage's state store. */
    interface Analyses {
        StoredFaceAnalysis get(String group);

        void put(String group, StoredFaceAnalysis analysis);

        void delete(String group);
    }

    private final FaceWork work;
    private final Analyses analyses;

    FaceGroups(FaceWork work, Analyses analyses) {
        this.work = work;
        this.analyses = analyses;
    }

    /** The group a picture is analysed with: its face group, or the picture alone (its own id). */
    static String group(ImageSubmitted event) {
        return grouped(event) ? event.getFaceGroup() : event.getImageId();
    }

    private static boolean grouped(ImageSubmitted event) {
        return event.getFaceGroup() != null
                && event.getFaceGroupSize() > 1
                && event.getOptions().getFaces();
    }

    /**
     * The picture's FacesDetected, analysed or taken over; a {@link StageException} when its group's
     * picture cannot be analysed.
     *
     * @param nowMs wall-clock time, kept with a new analysis so an abandoned one can be dropped
     */
    FacesDetected process(ImageSubmitted event, long nowMs) {
        if (!grouped(event)) {
            return work.process(event);
        }
        String group = event.getFaceGroup();
        StoredFaceAnalysis kept = analyses.get(group);
        if (kept == null) {
            return analyse(event, group, event.getFaceGroupSize() - 1, nowMs);
        }
        int remaining = kept.getRemaining() - 1;
        if (kept.getErrorCode() != null) {
            keep(group, kept, remaining);
            throw new StageException(ErrorCode.valueOf(kept.getErrorCode()), kept.getMessage());
        }
        if (!shared(kept)) {
            // Kept by a version that stored the faces among the analysed picture's intermediates,
            // which may be gone already: this picture is analysed again.
            return analyse(event, group, remaining, nowMs);
        }
        FacesDetected reused = work.reuse(event, kept.getWidth(), kept.getHeight(), kept.getFaces());
        keep(group, kept, remaining);
        return reused;
    }

    /** Whether every face's crop is under the analysed picture's face analysis keys. */
    private static boolean shared(StoredFaceAnalysis kept) {
        String prefix = Keys.faceAnalysisPrefix(kept.getImageId());
        return kept.getFaces().stream().allMatch(face -> face.getCrop().getKey().startsWith(prefix));
    }

    private FacesDetected analyse(ImageSubmitted event, String group, int remaining, long nowMs) {
        StoredFaceAnalysis.Builder analysis = StoredFaceAnalysis.newBuilder()
                .setImageId(event.getImageId())
                .setRemaining(remaining)
                .setStoredAtMs(nowMs);
        try {
            FacesDetected detected = work.analyseForGroup(event);
            keep(
                    group,
                    analysis.setWidth(detected.getWidth())
                            .setHeight(detected.getHeight())
                            .setFaces(detected.getFaces())
                            .build(),
                    remaining);
            return detected;
        } catch (StageException e) {
            keep(
                    group,
                    analysis.setFaces(List.of())
                            .setErrorCode(e.code().name())
                            .setMessage(e.getMessage())
                            .build(),
                    remaining);
            throw e;
        }
    }

    private void keep(String group, StoredFaceAnalysis analysis, int remaining) {
        if (remaining <= 0) {
            analyses.delete(group);
        } else {
            analysis.setRemaining(remaining);
            analyses.put(group, analysis);
        }
    }
}
