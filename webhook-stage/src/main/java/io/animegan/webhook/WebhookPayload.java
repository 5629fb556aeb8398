package io.animegan.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.JobCompleted;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of one webhook. A picture's: {@code type} ({@value #IMAGE_COMPLETED} or
 * {@value #IMAGE_FAILED}), {@code id}, {@code status} (done or failed), {@code style},
 * {@code resultUrl} (done), {@code error} (failed), {@code timings} (milliseconds per stage and
 * {@code total}), {@code job} (or absent). A job's ({@value #JOB_COMPLETED}): {@code id},
 * {@code status} (done, or failed when any picture failed), {@code total}, {@code done},
 * {@code failed}, {@code images}, {@code timings.total}. Fields without a value are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookPayload(
        String type,
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
        List<String> images) {

    static final String IMAGE_COMPLETED = "image.completed";
    static final String IMAGE_FAILED = "image.failed";
    static final String JOB_COMPLETED = "job.completed";

    /** Why a picture failed: the stable code, the stage that gave up and a message for people. */
    record Error(String code, String stage, String message) {}

    static WebhookPayload completed(ImageCompleted event, String resultBaseUrl) {
        Map<String, Long> timings = new LinkedHashMap<>(event.getTrace().getStageMs());
        if (event.getCompletedAtMs() > 0) {
            timings.put("total", event.getCompletedAtMs() - event.getTrace().getSubmittedAtMs());
        }
        return new WebhookPayload(
                IMAGE_COMPLETED,
                event.getImageId(),
                "done",
                event.getStyle(),
                resultBaseUrl + "/api/images/" + event.getImageId() + "/result",
                null,
                timings,
                null,
                null,
                null,
                null,
                null);
    }

    static WebhookPayload failed(ImageFailed event) {
        return new WebhookPayload(
                IMAGE_FAILED,
                event.getImageId(),
                "failed",
                null,
                null,
                new Error(event.getErrorCode(), event.getStage(), event.getMessage()),
                new LinkedHashMap<>(event.getTrace().getStageMs()),
                null,
                null,
                null,
                null,
                null);
    }

    static WebhookPayload job(JobCompleted event) {
        return new WebhookPayload(
                JOB_COMPLETED,
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
                List.copyOf(event.getImageIds()));
    }

    /** A picture's payload with what only its submission knew: the style asked for (when the outcome has none) and its job. */
    WebhookPayload withSubmission(String submittedStyle, String jobId) {
        return new WebhookPayload(
                type,
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
                images);
    }

    /** The stable {@code webhook-id}: the same for every attempt and re-delivery of this event. */
    String webhookId() {
        return "msg_" + type.replace('.', '_') + "_" + id;
    }
}
