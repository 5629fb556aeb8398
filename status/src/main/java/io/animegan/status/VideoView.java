package io.animegan.status;

import java.time.Instant;

/**
 * One clip's status as {@code GET /api/videos/{id}} and its event stream show it. Fields not known
 * yet are null.
 *
 * @param status queued, processing, done or failed
 * @param frames output frames of the whole clip, once planned
 * @param framesDone frames drawn so far (all of them once done)
 * @param etaSeconds seconds until every frame is drawn, from the rate so far; null while unknown or once finished
 * @param previewUrl the first drawn segment, playable while the rest is drawn; null before it is drawn and once finished
 * @param resultUrl the finished clip, once done
 * @param error why it failed: the stage, a stable code (e.g. CORRUPT_VIDEO, TOO_LONG) and a message
 * @param submittedAt when ingest accepted the clip (ISO-8601)
 * @param completedAt when it became done or failed (ISO-8601)
 * @param callback how its webhook went; null when none was asked for or none attempted yet
 */
public record VideoView(
        String id,
        String name,
        String style,
        String status,
        Integer frames,
        int framesDone,
        Integer segments,
        int segmentsDone,
        Double etaSeconds,
        Integer width,
        Integer height,
        Double durationSeconds,
        Boolean hasAudio,
        String previewUrl,
        String resultUrl,
        VideoStatus.Error error,
        String submittedAt,
        String completedAt,
        VideoStatus.Callback callback) {

    /** Where the API serves a clip's parts. */
    public static String url(String id, String part) {
        return "/api/videos/" + id + "/" + part;
    }

    public static VideoView of(VideoStatus s, long nowMs) {
        return new VideoView(
                s.id(),
                s.name(),
                s.style(),
                s.phase().label(),
                s.frames(),
                s.framesDone(),
                s.segments(),
                s.segmentsDone(),
                s.etaSeconds(nowMs),
                s.width(),
                s.height(),
                s.durationSeconds(),
                s.hasAudio(),
                s.previewSegment() == null ? null : url(s.id(), "preview"),
                s.result() == null ? null : url(s.id(), "result"),
                s.error(),
                time(s.submittedAtMs()),
                time(s.completedAtMs()),
                s.callback());
    }

    private static String time(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }
}
