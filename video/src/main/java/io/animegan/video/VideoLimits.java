package io.animegan.video;

/** What {@link VideoProbe} accepts: longest duration, most pixels per frame, most frames. */
public record VideoLimits(long maxDurationMicros, long maxPixels, long maxFrames) {

    /** Ten minutes, 4K (3840x2160), 36000 frames. */
    public static final VideoLimits DEFAULT = new VideoLimits(600_000_000L, 3840L * 2160, 36_000);

    public VideoLimits {
        if (maxDurationMicros <= 0 || maxPixels <= 0 || maxFrames <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
