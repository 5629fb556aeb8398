package io.animegan.status;

import io.animegan.events.FacesDetected;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Trace;
import io.animegan.events.WebhookDelivery;
import io.animegan.status.ImageStatus.FaceDetail;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.ImageStatus.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one stage event into an image's status. Pure (no Kafka): events of one image come from
 * different topics and may be folded in any order, so every event only adds what it knows and a
 * status never moves backwards (queued &lt; processing &lt; done|failed; the first final event
 * wins). Faces and size come from the event latest in pipeline order.
 */
public final class StatusFold {

    private StatusFold() {}

    /** The image an event is about: every pipeline event is keyed and carries it. */
    public static String imageId(Object event) {
        if (event instanceof ImageSubmitted e) {
            return e.getImageId();
        } else if (event instanceof FacesDetected e) {
            return e.getImageId();
        } else if (event instanceof ImageStylized e) {
            return e.getImageId();
        } else if (event instanceof ImageCompleted e) {
            return e.getImageId();
        } else if (event instanceof ImageFailed e) {
            return e.getImageId();
        } else if (event instanceof WebhookDelivery e) {
            return e.getId();
        }
        throw new IllegalArgumentException("not a pipeline event: "
                + (event == null ? "null" : event.getClass().getName()));
    }

    /**
     * @param s the status so far ({@link ImageStatus#unknown} for a new image)
     * @param event ImageSubmitted, FacesDetected, ImageStylized, ImageCompleted, ImageFailed, or a
     *     picture's WebhookDelivery
     * @param timestampMs the event's record timestamp (the completion time of final events that lack one)
     * @return the status with the event folded in; equal to {@code s} when the event adds nothing
     */
    public static ImageStatus apply(ImageStatus s, Object event, long timestampMs) {
        ImageStatus folded = fold(s, event, timestampMs);
        // Only the submission says whose picture it is; every later event keeps that.
        return event instanceof ImageSubmitted e
                ? folded.ofTenant(e.getTenant(), e.getSizeBytes())
                : folded == s ? s : folded.ofTenant(s.tenant(), s.sizeBytes());
    }

    private static ImageStatus fold(ImageStatus s, Object event, long timestampMs) {
        if (event instanceof ImageSubmitted e) {
            return s.toBuilder()
                    .name(e.getName())
                    .stageMs(stageMs(s, e.getTrace()))
                    .submittedAtMs(e.getTrace().getSubmittedAtMs())
                    .style(e.getOptions().getStyle())
                    .jobId(e.getJobId() != null ? e.getJobId() : s.jobId())
                    .build();
        } else if (event instanceof FacesDetected e) {
            return processing(
                    s,
                    Stage.FACES.rank,
                    e.getFaces().size(),
                    e.getWidth(),
                    e.getHeight(),
                    FaceDetail.of(e.getFaces()),
                    e.getTrace());
        } else if (event instanceof ImageStylized e) {
            return processing(
                    s,
                    Stage.STYLIZED.rank,
                    e.getFaces().size(),
                    e.getWidth(),
                    e.getHeight(),
                    FaceDetail.of(e.getFaces()),
                    e.getTrace());
        } else if (event instanceof ImageCompleted e) {
            if (s.phase().isFinal()) {
                return s;
            }
            return s.toBuilder()
                    .phase(Phase.DONE)
                    .detailRank(Stage.DONE.rank)
                    .faces(e.getFaceCount())
                    .width(e.getWidth())
                    .height(e.getHeight())
                    .error(null)
                    .stageMs(stageMs(s, e.getTrace()))
                    .submittedAtMs(submittedAt(s, e.getTrace()))
                    .completedAtMs(e.getCompletedAtMs() > 0 ? e.getCompletedAtMs() : timestampMs)
                    .faceDetails(FaceDetail.of(e.getFaces()))
                    .result(e.getResult())
                    .resultContentType(e.getContentType())
                    .overlay(e.getOverlay())
                    .style(e.getStyle())
                    .build();
        } else if (event instanceof ImageFailed e) {
            if (s.phase().isFinal()) {
                return s;
            }
            String error = e.getStage() + ": " + e.getErrorCode() + ": " + e.getMessage();
            return s.toBuilder()
                    .phase(Phase.FAILED)
                    .error(error)
                    .stageMs(stageMs(s, e.getTrace()))
                    .submittedAtMs(submittedAt(s, e.getTrace()))
                    .completedAtMs(timestampMs)
                    .result(null)
                    .resultContentType(null)
                    .overlay(null)
                    .build();
        } else if (event instanceof WebhookDelivery e) {
            return callback(s, e);
        }
        throw new IllegalArgumentException("not a pipeline event: "
                + (event == null ? "null" : event.getClass().getName()));
    }

    private static ImageStatus callback(ImageStatus s, WebhookDelivery e) {
        if (!advancesCallback(s.callback(), s.callbackAttempts(), e)) {
            return s;
        }
        return s.toBuilder()
                .callback(e.getState())
                .callbackAttempts(e.getAttempts())
                .callbackLastStatus(e.getLastStatus())
                .build();
    }

    /**
     * Whether a delivery change is the webhook's latest state (a picture's or a clip's): changes
     * arrive in attempt order, but a stage restarted before its commit repeats an attempt, so an
     * older or equal attempt changes nothing unless it ends a pending delivery.
     *
     * @param state the state known so far, null when none
     * @param attempts the attempts known so far, null when none
     */
    static boolean advancesCallback(String state, Integer attempts, WebhookDelivery e) {
        int known = attempts == null ? 0 : attempts;
        boolean ends = !"pending".equals(e.getState()) && (state == null || "pending".equals(state));
        return e.getAttempts() > known || e.getAttempts() == known && ends;
    }

    private static ImageStatus processing(
            ImageStatus s, int rank, int faces, int width, int height, List<FaceDetail> details, Trace trace) {
        Phase phase = s.phase().canMoveTo(Phase.PROCESSING) ? Phase.PROCESSING : s.phase();
        boolean newer = rank >= s.detailRank();
        ImageStatus.Builder b =
                s.toBuilder().phase(phase).stageMs(stageMs(s, trace)).submittedAtMs(submittedAt(s, trace));
        if (newer) {
            b.detailRank(rank).faces(faces).width(width).height(height).faceDetails(details);
        }
        return b.build();
    }

    /** Every stage's time seen so far: later stages' traces carry the earlier stages' times too. */
    private static Map<String, Long> stageMs(ImageStatus s, Trace trace) {
        if (trace == null || trace.getStageMs().isEmpty()) {
            return s.stageMs();
        }
        Map<String, Long> merged = new HashMap<>(s.stageMs());
        merged.putAll(trace.getStageMs());
        return merged;
    }

    /** Every event carries the trace ImageSubmitted started; ImageSubmitted's own copy wins. */
    private static Long submittedAt(ImageStatus s, Trace trace) {
        return s.submittedAtMs() != null
                ? s.submittedAtMs()
                : trace != null ? Long.valueOf(trace.getSubmittedAtMs()) : null;
    }
}
