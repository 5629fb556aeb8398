package io.animegan.status;

import io.animegan.events.BlobRef;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.Trace;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import java.util.Map;

/** Video events as the stages write them, for tests that play the stages' part. */
public final class TestVideoEvents {

    public static final long SUBMITTED_AT = TestEvents.SUBMITTED_AT;

    private TestVideoEvents() {}

    public static Trace trace() {
        return new Trace("0af7651916cd43dd8448eb211c80319c", SUBMITTED_AT, Map.of("ingest", 5L));
    }

    public static VideoOptions options() {
        return VideoOptions.newBuilder().setStyle("animeganv3-hayao").build();
    }

    public static VideoSubmitted submitted(String id, String name, String tenant, long sizeBytes) {
        return VideoSubmitted.newBuilder()
                .setVideoId(id)
                .setName(name)
                .setSource(TestEvents.ref("inputs/" + id + "/original"))
                .setSizeBytes(sizeBytes)
                .setOptions(options())
                .setTrace(trace())
                .setTenant(tenant)
                .build();
    }

    public static VideoPlanned planned(String id, int frames, int segments) {
        return VideoPlanned.newBuilder()
                .setVideoId(id)
                .setFrames(frames)
                .setSegments(segments)
                .setWidth(320)
                .setHeight(240)
                .setFrameRate("30/1")
                .setDurationSeconds(frames / 30.0)
                .setHasAudio(true)
                .setTrace(trace())
                .build();
    }

    /** Segment {@code index} drawn, stored under {@code segment}. */
    public static SegmentDrawn drawn(String id, int index, int segments, int frames, BlobRef segment) {
        return SegmentDrawn.newBuilder()
                .setVideoId(id)
                .setIndex(index)
                .setSegments(segments)
                .setFrames(frames)
                .setSegment(segment)
                .setSource(TestEvents.ref("inputs/" + id + "/original"))
                .setOptions(options())
                .setStylizeMs(1_000)
                .setFilterMs(50)
                .setTrace(trace())
                .build();
    }

    public static SegmentDrawn drawn(String id, int index, int segments, int frames) {
        return drawn(
                id, index, segments, frames, TestEvents.ref(String.format("work/%s/segments/%05d.mp4", id, index)));
    }

    public static VideoCompleted completed(String id, BlobRef result, int frames, int segments, long sizeBytes) {
        return VideoCompleted.newBuilder()
                .setVideoId(id)
                .setResult(result)
                .setContentType("video/mp4")
                .setWidth(320)
                .setHeight(240)
                .setFrames(frames)
                .setSegments(segments)
                .setDurationSeconds(frames / 30.0)
                .setHasAudio(true)
                .setStyle("animeganv3-hayao")
                .setOptions(options())
                .setCompletedAtMs(0)
                .setTrace(trace())
                .setSizeBytes(sizeBytes)
                .build();
    }

    public static VideoFailed failed(String id, String stage, String code, String message) {
        return VideoFailed.newBuilder()
                .setVideoId(id)
                .setStage(stage)
                .setErrorCode(code)
                .setMessage(message)
                .setTrace(trace())
                .build();
    }
}
