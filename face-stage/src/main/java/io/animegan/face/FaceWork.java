package io.animegan.face;

import io.animegan.common.stage.StageProcessor;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import java.util.List;

/**
 * What face-stage does to one picture: analyse it alone ({@link #process}), analyse it for its face
 * group, the same upload in other styles ({@link #analyseForGroup}), or take over the analysis of
 * another picture of its group ({@link #reuse}).
 */
public interface FaceWork extends StageProcessor<ImageSubmitted, FacesDetected> {

    /**
     * As {@link #process}, with the faces' blobs stored as the group's analysis ({@code
     * Keys.faceAnalysisPrefix}), which the group's other pictures read as they are.
     */
    FacesDetected analyseForGroup(ImageSubmitted event);

    /**
     * The picture's FacesDetected from another picture's analysis for the group: its size, and its
     * faces naming that analysis's blobs (no copies).
     */
    FacesDetected reuse(ImageSubmitted event, int width, int height, List<Face> analysed);
}
