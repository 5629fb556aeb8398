package io.animegan.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A clip's status as {@code GET /api/videos/{id}} answers it; what is not known yet is null.
 *
 * @param status {@code queued}, {@code processing}, {@code done} or {@code failed}
 * @param frames frames the clip has, once probed
 * @param framesDone frames drawn so far
 * @param segments segments the clip is cut into, once planned
 * @param segmentsDone segments drawn so far
 * @param etaSeconds the service's estimate of the time left
 * @param previewUrl the first drawn segment, once there is one
 * @param resultUrl the finished clip, once done
 * @param error why the clip failed
 * @param json the whole answer, fields this record does not name included
 */
public record VideoStatus(
        String id,
        String name,
        String style,
        String status,
        Integer frames,
        Integer framesDone,
        Integer segments,
        Integer segmentsDone,
        Double etaSeconds,
        String previewUrl,
        String resultUrl,
        Error error,
        JsonNode json) {

    /** Why a clip failed: the stage that gave up, a stable code and a message for people. */
    public record Error(String stage, String code, String message) {}

    public boolean isFinished() {
        return "done".equals(status) || "failed".equals(status);
    }

    static VideoStatus of(JsonNode json) {
        JsonNode error = json.path("error");
        return new VideoStatus(
                text(json, "id"),
                text(json, "name"),
                text(json, "style"),
                text(json, "status"),
                integer(json, "frames"),
                integer(json, "framesDone"),
                integer(json, "segments"),
                integer(json, "segmentsDone"),
                json.path("etaSeconds").isNumber() ? json.path("etaSeconds").asDouble() : null,
                text(json, "previewUrl"),
                text(json, "resultUrl"),
                error.isObject() ? new Error(text(error, "stage"), text(error, "code"), text(error, "message")) : null,
                json);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static Integer integer(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isNumber() ? value.asInt() : null;
    }
}
