package io.animegan.common.config;

import io.animegan.events.EventSerdes;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.SegmentRequested;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import java.util.List;

/**
 * The video path's topics, each bound to its serde. A clip goes submitted → planned (probed, cut
 * into segments) → one segment record per segment → drawn segments → completed, or failed at any
 * step; a clip's preview is drawn beside its segments.
 *
 * @param submitted clips accepted by ingest, keyed by video id
 * @param planned a clip's frame and segment counts once probed, keyed by video id
 * @param segments one record per segment to draw, keyed by {@code videoId/index}; the planner puts
 *     a clip's consecutive segments on consecutive partitions, so they spread over stylize instances
 * @param previews one record per clip for its preview (its first seconds drawn cheaply), keyed by
 *     video id; a topic of its own, read by its own application, so a preview is not queued behind
 *     the segments of this or any other clip
 * @param segmentsDrawn drawn segments, keyed by video id so assembly sees a whole clip on one partition
 * @param completed finished clips, keyed by video id
 * @param failed clips a stage could not process, keyed by video id
 */
public record VideoTopics(
        Topic<VideoSubmitted> submitted,
        Topic<VideoPlanned> planned,
        Topic<SegmentRequested> segments,
        Topic<SegmentRequested> previews,
        Topic<SegmentDrawn> segmentsDrawn,
        Topic<VideoCompleted> completed,
        Topic<VideoFailed> failed) {

    /** @param prefix the video topics' own prefix, e.g. "animegan.videos." */
    public static VideoTopics withPrefix(String prefix) {
        return new VideoTopics(
                new Topic<>(prefix + "submitted", EventSerdes.videoSubmitted()),
                new Topic<>(prefix + "planned", EventSerdes.videoPlanned()),
                new Topic<>(prefix + "segments", EventSerdes.segmentRequested()),
                new Topic<>(prefix + "previews", EventSerdes.segmentRequested()),
                new Topic<>(prefix + "segments-drawn", EventSerdes.segmentDrawn()),
                new Topic<>(prefix + "completed", EventSerdes.videoCompleted()),
                new Topic<>(prefix + "failed", EventSerdes.videoFailed()));
    }

    /** The topics a clip's status is folded from, in pipeline order. */
    public List<Topic<?>> all() {
        return List.of(submitted, planned, segments, previews, segmentsDrawn, completed, failed);
    }

    /** The segment key: the video id and the segment's index. */
    public static String segmentKey(String videoId, int index) {
        return videoId + "/" + index;
    }
}
