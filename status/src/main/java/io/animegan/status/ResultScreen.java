package io.animegan.status;

import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the event topics and the folds: a completion whose result ingest would not serve
 * ({@link ServedResults}) is folded as a failure of stage {@link #STAGE} with code
 * {@link ServedResults#FORBIDDEN_RESULT}, so the picture (and its job) ends failed with a clear
 * error instead of done with someone else's object behind it. Every other event passes as is.
 */
final class ResultScreen {

    private static final Logger log = LoggerFactory.getLogger(ResultScreen.class);
    static final String STAGE = "ingest";

    private final String bucket;

    ResultScreen(String bucket) {
        this.bucket = bucket;
    }

    Object screen(Object event) {
        if (event instanceof ImageCompleted e) {
            Optional<String> refusal = ServedResults.refusal(e.getImageId(), e.getResult(), e.getContentType(), bucket);
            if (refusal.isPresent()) {
                log.warn("image {}: completion refused: {}", e.getImageId(), refusal.get());
                return failure(e, refusal.get());
            }
        }
        return event;
    }

    private static ImageFailed failure(ImageCompleted e, String reason) {
        return ImageFailed.newBuilder()
                .setImageId(e.getImageId())
                .setStage(STAGE)
                .setErrorCode(ServedResults.FORBIDDEN_RESULT)
                .setMessage("the completion event was refused: " + reason)
                .setTrace(e.getTrace())
                .build();
    }
}
