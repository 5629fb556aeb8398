package io.animegan.submission;

import io.animegan.common.config.Limits;

/**
 * What a clip upload may be: its size, and the longest output side a request may ask for (also the
 * default). Duration and input frame size are checked when video-stage probes the clip.
 *
 * @param maxBytes largest accepted clip; a larger one is refused with 413
 * @param maxOutputSide longest side of output frames a request may ask for, and the default
 */
public record VideoAdmission(long maxBytes, int maxOutputSide) {

    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_OUTPUT_SIDE = 1280;
    public static final VideoAdmission DEFAULTS = new VideoAdmission(DEFAULT_MAX_BYTES, DEFAULT_MAX_OUTPUT_SIDE);

    public VideoAdmission {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the clip size limit must be positive, not " + maxBytes);
        }
        if (maxOutputSide < Limits.MIN_OUTPUT_SIDE || maxOutputSide > Limits.MAX_OUTPUT_SIDE) {
            throw new IllegalArgumentException("the clip output side limit must be from " + Limits.MIN_OUTPUT_SIDE
                    + " to " + Limits.MAX_OUTPUT_SIDE + ", not " + maxOutputSide);
        }
    }
}
