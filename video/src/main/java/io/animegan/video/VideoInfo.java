package io.animegan.video;

/**
 * What {@link VideoProbe} found in a clip.
 *
 * @param container demuxer name(s), e.g. {@code mov,mp4,m4a,3gp,3g2,mj2} or {@code matroska,webm}
 * @param videoCodec e.g. {@code h264}, {@code hevc}, {@code vp9}, {@code av1}
 * @param width coded width (before rotation)
 * @param height coded height (before rotation)
 * @param rotation clockwise degrees (0, 90, 180, 270) to turn the coded frame to display it upright
 * @param frameRate the average frame rate (frames / duration); exact for constant rates
 * @param variableFrameRate whether frame intervals vary
 * @param durationMicros the video stream's duration, first frame's start to last frame's end
 * @param frameCount exact count of frames, counted from the packets
 * @param hasAudio whether there is an audio stream
 * @param audioCodec its codec, or null
 * @param timeline every frame's presentation timestamp
 */
public record VideoInfo(
        String container,
        String videoCodec,
        int width,
        int height,
        int rotation,
        Rational frameRate,
        boolean variableFrameRate,
        long durationMicros,
        int frameCount,
        boolean hasAudio,
        String audioCodec,
        FrameTimeline timeline) {

    /** Width as displayed (after rotation). */
    public int displayWidth() {
        return rotation % 180 == 0 ? width : height;
    }

    /** Height as displayed (after rotation). */
    public int displayHeight() {
        return rotation % 180 == 0 ? height : width;
    }

    public double durationSeconds() {
        return durationMicros / 1e6;
    }

    @Override
    public String toString() {
        return String.format(
                "%s %s %dx%d rot %d, %s fps%s, %.3f s, %d frames, audio %s",
                container,
                videoCodec,
                width,
                height,
                rotation,
                frameRate,
                variableFrameRate ? " (variable)" : "",
                durationSeconds(),
                frameCount,
                hasAudio ? audioCodec : "none");
    }
}
