package io.animegan.common.stage;

/** Stable codes for ImageFailed events; integrators switch on these. */
public enum ErrorCode {
    UNSUPPORTED_FORMAT,
    CORRUPT_IMAGE,
    IMAGE_TOO_LARGE,
    SOURCE_MISSING,
    INVALID_OPTIONS,
    MODEL_ERROR,
    /** The event names an object the stage does not read (not this picture's upload or intermediates). */
    FORBIDDEN_KEY,
    INTERNAL_ERROR
}
