package io.animegan.face;

import io.animegan.common.stage.StageProcessor;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import java.util.List;
import java.util.Optional;

/**
 * What face-stage does to one picture: analyse it ({@link #process}), or take over the analysis of
 * another picture of its face group, the same upload in another style ({@link #reuse}).
 */
public interface FaceWork extends StageProcessor<ImageSubmitted, FacesDetected> {

    /**
     * The picture's FacesDetected from another picture's analysis: its size and faces, each face's
     * blobs copied under this picture's own keys, so each picture's intermediates live and go with
     * it. Empty when the analysed picture's blobs are gone (its intermediates already deleted).
     */
    Optional<FacesDetected> reuse(ImageSubmitted event, int width, int height, List<Face> analysed);
}
