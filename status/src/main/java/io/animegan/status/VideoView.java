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
 * @param previewUrl a preview, playable while the clip is drawn: the clip's own preview (its first
 *     seconds drawn quickly at a low style resolution and frame rate) once drawn, before that its first drawn
 *     segment; null before either is drawn and once finished
 * @param previewDraft while there is a preview: true when it is the clip's own quick preview, false
 *     when it is its first drawn segment
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
        Boolean previewDraft,
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
        VideoStatus.Preview preview = s.preview();
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
                preview == null ? null : url(s.id(), "preview"),
                preview == null ? null : preview.drawn(),
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
