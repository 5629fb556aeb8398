package io.animegan.status;

import io.animegan.events.SegmentDrawn;
import io.animegan.events.StoredVideoStatus;
import io.animegan.events.Trace;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import io.animegan.events.WebhookDelivery;
import io.animegan.status.ImageStatus.Phase;
import java.util.HashMap;
import java.util.Map;

/**
 * Folds one event of a clip into its status. Pure (no Kafka): a clip's events come from six
 * topics and may be folded in any order or more than once, so each only adds what it knows, a
 * status never moves backwards (queued &lt; processing &lt; done|failed; the first final event
 * wins) and a segment drawn again changes nothing.
 */
public final class VideoFold {

    private VideoFold() {}

    /** The clip an event is about: every video event is keyed by it and carries it. */
    public static String videoId(Object event) {
        if (event instanceof VideoSubmitted e) {
            return e.getVideoId();
        } else if (event instanceof VideoPlanned e) {
            return e.getVideoId();
        } else if (event instanceof SegmentDrawn e) {
            return e.getVideoId();
        } else if (event instanceof VideoCompleted e) {
            return e.getVideoId();
        } else if (event instanceof VideoFailed e) {
            return e.getVideoId();
        } else if (event instanceof WebhookDelivery e) {
            return e.getId();
        }
        throw new IllegalArgumentException("not a video event: " + name(event));
    }

    /**
     * @param s the status so far ({@link VideoStatus#unknown} for a new clip)
     * @param event VideoSubmitted, VideoPlanned, SegmentDrawn, VideoCompleted, VideoFailed, or a
     *     clip's WebhookDelivery
     * @param timestampMs the event's record timestamp
     * @return the status with the event folded in; equal to {@code s} when the event adds nothing
     */
    public static VideoStatus apply(VideoStatus s, Object event, long timestampMs) {
        StoredVideoStatus v = s.stored();
        boolean finished = s.phase().isFinal();
        if (event instanceof VideoSubmitted e) {
            submitted(v, e);
        } else if (event instanceof VideoPlanned e) {
            if (finished) {
                return s;
            }
            processing(v, e.getTrace());
            v.setFrames(e.getFrames());
            v.setSegments(e.getSegments());
            v.setWidth(e.getWidth());
            v.setHeight(e.getHeight());
            v.setDurationSeconds(e.getDurationSeconds());
            v.setHasAudio(e.getHasAudio());
            v.setPlannedAtMs(timestampMs);
        } else if (event instanceof SegmentDrawn e && e.getPreview()) {
            if (finished || v.getPreviewFrames() != null) {
                return s;
            }
            processing(v, e.getTrace());
            v.setPreviewFrames(e.getFrames());
        } else if (event instanceof SegmentDrawn e) {
            String index = Integer.toString(e.getIndex());
            if (finished || v.getSegmentFrames().containsKey(index)) {
                return s;
            }
            drawn(v, e, index, timestampMs);
        } else if (event instanceof VideoCompleted e) {
            if (finished) {
                return s;
            }
            completed(v, e, timestampMs);
        } else if (event instanceof VideoFailed e) {
            if (finished) {
                return s;
            }
            v.setPhase(Phase.FAILED.name());
            v.setErrorStage(e.getStage());
            v.setErrorCode(e.getErrorCode());
            v.setErrorMessage(e.getMessage());
            v.setCompletedAtMs(timestampMs);
            v.setSubmittedAtMs(submittedAt(v, e.getTrace()));
        } else if (event instanceof WebhookDelivery e) {
            // A webhook is sent once the clip is finished: its deliveries follow the final event.
            if (!StatusFold.advancesCallback(v.getCallback(), v.getCallbackAttempts(), e)) {
                return s;
            }
            v.setCallback(e.getState());
            v.setCallbackAttempts(e.getAttempts());
            v.setCallbackLastStatus(e.getLastStatus());
        } else {
            throw new IllegalArgumentException("not a video event: " + name(event));
        }
        return new VideoStatus(v);
    }

    private static void submitted(StoredVideoStatus v, VideoSubmitted e) {
        v.setName(e.getName());
        v.setStyle(v.getStyle() != null ? v.getStyle() : e.getOptions().getStyle());
        v.setTenant(e.getTenant());
        v.setJobId(e.getJobId());
        v.setSizeBytes(e.getSizeBytes());
        // The submission's own time wins over the copies later events carry.
        v.setSubmittedAtMs(e.getTrace().getSubmittedAtMs());
    }

    private static void processing(StoredVideoStatus v, Trace trace) {
        if (Phase.valueOf(v.getPhase()).canMoveTo(Phase.PROCESSING)) {
            v.setPhase(Phase.PROCESSING.name());
        }
        v.setSubmittedAtMs(submittedAt(v, trace));
    }

    private static void drawn(StoredVideoStatus v, SegmentDrawn e, String index, long timestampMs) {
        processing(v, e.getTrace());
        Map<String, Integer> segmentFrames = new HashMap<>(v.getSegmentFrames());
        segmentFrames.put(index, e.getFrames());
        v.setSegmentFrames(segmentFrames);
        if (v.getSegments() == null) {
            v.setSegments(e.getSegments());
        }
        if (v.getPreviewSegment() == null) {
            v.setPreviewSegment(e.getIndex());
        }
        if (v.getStyle() == null) {
            v.setStyle(e.getOptions().getStyle());
        }
        v.setLastDrawnAtMs(v.getLastDrawnAtMs() == null ? timestampMs : Math.max(v.getLastDrawnAtMs(), timestampMs));
    }

    private static void completed(StoredVideoStatus v, VideoCompleted e, long timestampMs) {
        v.setPhase(Phase.DONE.name());
        v.setFrames(e.getFrames());
        v.setSegments(e.getSegments());
        v.setWidth(e.getWidth());
        v.setHeight(e.getHeight());
        v.setDurationSeconds(e.getDurationSeconds());
        v.setHasAudio(e.getHasAudio());
        v.setResult(e.getResult());
        v.setResultContentType(e.getContentType());
        v.setResultBytes(e.getSizeBytes());
        v.setStyle(e.getStyle());
        v.setCompletedAtMs(e.getCompletedAtMs() > 0 ? e.getCompletedAtMs() : timestampMs);
        v.setSubmittedAtMs(submittedAt(v, e.getTrace()));
    }

    /** Every event carries the trace VideoSubmitted started; the submission's own copy wins. */
    private static Long submittedAt(StoredVideoStatus v, Trace trace) {
        return v.getSubmittedAtMs() != null
                ? v.getSubmittedAtMs()
                : trace != null ? Long.valueOf(trace.getSubmittedAtMs()) : null;
    }

    private static String name(Object event) {
        return event == null ? "null" : event.getClass().getName();
    }
}
