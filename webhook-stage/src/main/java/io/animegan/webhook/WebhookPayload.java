package io.animegan.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.JobCompleted;
import io.animegan.events.Trace;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of one webhook. A picture's: {@code type} ({@value #IMAGE_COMPLETED} or
 * {@value #IMAGE_FAILED}), {@code kind} ({@value #IMAGE}), {@code id}, {@code status} (done or
 * failed), {@code style}, {@code resultUrl} (done), {@code error} (failed), {@code timings}
 * (milliseconds per stage and {@code total}), {@code job} (or absent). A clip's
 * ({@value #VIDEO_COMPLETED} or {@value #VIDEO_FAILED}, kind {@value #VIDEO}): the same, and when
 * done {@code frames} and {@code durationSeconds}. A job's ({@value #JOB_COMPLETED}, kind
 * {@value #JOB}): {@code id}, {@code status} (done, or failed when any picture or clip failed),
 * {@code total}, {@code done}, {@code failed} (pictures and clips), {@code images}, {@code videos} (when the job
 * holds clips), {@code timings.total}. Fields
 * without a value are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookPayload(
        String type,
        String kind,
        String id,
        String status,
        String style,
        String resultUrl,
        Error error,
        Map<String, Long> timings,
        String job,
        Integer total,
        Integer done,
        Integer failed,
        List<String> images,
        List<String> videos,
        Integer frames,
        Double durationSeconds) {

    static final String IMAGE = "image";
    static final String VIDEO = "video";
    static final String JOB = "job";
    static final String IMAGE_COMPLETED = "image.completed";
    static final String IMAGE_FAILED = "image.failed";
    static final String VIDEO_COMPLETED = "video.completed";
    static final String VIDEO_FAILED = "video.failed";
    static final String JOB_COMPLETED = "job.completed";

    /** Why a picture or clip failed: the stable code, the stage that gave up and a message for people. */
    record Error(String code, String stage, String message) {}

    static WebhookPayload completed(ImageCompleted event, String resultBaseUrl) {
        return outcome(
                IMAGE_COMPLETED,
                IMAGE,
                event.getImageId(),
                event.getStyle(),
                resultBaseUrl + "/api/images/" + event.getImageId() + "/result",
                null,
                timings(event.getTrace(), event.getCompletedAtMs()),
                null,
                null);
    }

    static WebhookPayload failed(ImageFailed event) {
        return outcome(
                IMAGE_FAILED,
                IMAGE,
                event.getImageId(),
                null,
                null,
                new Error(event.getErrorCode(), event.getStage(), event.getMessage()),
                timings(event.getTrace(), 0),
                null,
                null);
    }

    static WebhookPayload completed(VideoCompleted event, String resultBaseUrl) {
        return outcome(
                VIDEO_COMPLETED,
                VIDEO,
                event.getVideoId(),
                event.getStyle(),
                resultBaseUrl + "/api/videos/" + event.getVideoId() + "/result",
                null,
                timings(event.getTrace(), event.getCompletedAtMs()),
                event.getFrames(),
                event.getDurationSeconds());
    }

    static WebhookPayload failed(VideoFailed event) {
        return outcome(
                VIDEO_FAILED,
                VIDEO,
                event.getVideoId(),
                null,
                null,
                new Error(event.getErrorCode(), event.getStage(), event.getMessage()),
                timings(event.getTrace(), 0),
                null,
                null);
    }

    /** A picture's or clip's payload: done with a result URL, or failed with an error; no job counts. */
    private static WebhookPayload outcome(
            String type,
            String kind,
            String id,
            String style,
            String resultUrl,
            Error error,
            Map<String, Long> timings,
            Integer frames,
            Double durationSeconds) {
        return new WebhookPayload(
                type,
                kind,
                id,
                error == null ? "done" : "failed",
                style,
                resultUrl,
                error,
                timings,
                null,
                null,
                null,
                null,
                null,
                null,
                frames,
                durationSeconds);
    }

    static WebhookPayload job(JobCompleted event) {
        return new WebhookPayload(
                JOB_COMPLETED,
                JOB,
                event.getJobId(),
                event.getFailed() > 0 ? "failed" : "done",
                null,
                null,
                null,
                Map.of("total", event.getCompletedAtMs() - event.getSubmittedAtMs()),
                null,
                event.getTotal(),
                event.getDone(),
                event.getFailed(),
                List.copyOf(event.getImageIds()),
                event.getVideoIds().isEmpty() ? null : List.copyOf(event.getVideoIds()),
                null,
                null);
    }

    /** Milliseconds per stage, and {@code total} from submission when the outcome says when it finished (> 0). */
    private static Map<String, Long> timings(Trace trace, long completedAtMs) {
        Map<String, Long> timings = new LinkedHashMap<>(trace.getStageMs());
        if (completedAtMs > 0) {
            timings.put("total", completedAtMs - trace.getSubmittedAtMs());
        }
        return timings;
    }

    /**
     * A picture's or clip's payload with what only its submission knew: the style asked for (when
     * the outcome has none) and its job.
     */
    WebhookPayload withSubmission(String submittedStyle, String jobId) {
        return new WebhookPayload(
                type,
                kind,
                id,
                status,
                style == null ? submittedStyle : style,
                resultUrl,
                error,
                timings,
                jobId,
                total,
                done,
                failed,
                images,
                videos,
                frames,
                durationSeconds);
    }

    /** The stable {@code webhook-id}: the same for every attempt and re-delivery of this event. */
    String webhookId() {
        return "msg_" + type.replace('.', '_') + "_" + id;
    }
}
