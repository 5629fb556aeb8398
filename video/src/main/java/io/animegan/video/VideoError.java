package io.animegan.video;

/** Why a clip was refused: stable codes a stage can put on its failure record. */
public enum VideoError {
    /** No container FFmpeg recognises as video (a text file, a still image, random bytes). */
    NOT_A_VIDEO,
    /** A known container that cannot be read: damaged header, truncated, undecodable frames. */
    CORRUPT_VIDEO,
    /** A readable container without a video stream (audio only; cover art does not count). */
    NO_VIDEO_STREAM,
    /** A video stream without a single frame. */
    NO_FRAMES,
    /** Longer than the limit. */
    TOO_LONG,
    /** More pixels per frame, or more frames, than the limit. */
    TOO_LARGE
}
