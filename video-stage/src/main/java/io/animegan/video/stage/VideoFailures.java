package io.animegan.video.stage;

import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.StorageException;
import io.animegan.events.Trace;
import io.animegan.events.VideoFailed;
import io.animegan.video.VideoError;
import io.animegan.video.VideoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what stops a clip's step into its VideoFailed event: a refused clip ({@link VideoException},
 * its {@link VideoError} name), a request a stage cannot serve ({@link StageException}, its {@link
 * ErrorCode} name), a missing object ({@code SOURCE_MISSING}) or anything unexpected ({@code
 * INTERNAL_ERROR}). A storage outage is not the clip's fault and is rethrown, so Kafka Streams
 * retries the record.
 */
public final class VideoFailures {

    private static final Logger log = LoggerFactory.getLogger(VideoFailures.class);

    private VideoFailures() {}

    /** @throws StorageException as it is: transient */
    public static VideoFailed of(String stage, String videoId, Trace trace, RuntimeException e) {
        if (e instanceof StorageException outage) {
            throw outage;
        }
        String code;
        if (e instanceof VideoException refused) {
            code = refused.code().name();
        } else if (e instanceof StageException stageException) {
            code = stageException.code().name();
        } else if (e instanceof BlobNotFoundException) {
            code = ErrorCode.SOURCE_MISSING.name();
        } else {
            code = ErrorCode.INTERNAL_ERROR.name();
            log.error("{}: video {} failed unexpectedly", stage, videoId, e);
        }
        log.info("{}: video {} failed: {} {}", stage, videoId, code, e.getMessage());
        return VideoFailed.newBuilder()
                .setVideoId(videoId)
                .setStage(stage)
                .setErrorCode(code)
                .setMessage(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                .setTrace(trace)
                .build();
    }
}
