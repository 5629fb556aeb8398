package io.animegan.submission;

import java.util.Optional;

/**
 * Decides whether one uploaded file may be a clip, from its size and first bytes alone
 * ({@link VideoContainer}): 413 {@value #TOO_LARGE} for what is over the limit, 415
 * {@value #UNSUPPORTED} for what is not MP4/MOV or Matroska/WebM (with a hint to the image route
 * for a photo). Whether it decodes, how long it is and how big its frames are is the probe's
 * business downstream, which answers with a failed status naming the code.
 */
public final class VideoValidator {

    public static final String UNSUPPORTED = "UNSUPPORTED_VIDEO";
    public static final String TOO_LARGE = "VIDEO_TOO_LARGE";
    /** The code a clip sent to the image route is refused with. */
    public static final String VIDEO_NOT_PICTURE = "VIDEO_NOT_PICTURE";

    private final long maxBytes;

    public VideoValidator(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the clip size limit must be positive, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Refuses a file by its size, before its content is read. */
    public void checkSize(String name, long sizeBytes) {
        if (sizeBytes > maxBytes) {
            throw ApiException.coded(
                    UploadValidator.CONTENT_TOO_LARGE,
                    TOO_LARGE,
                    "'" + name + "' is " + sizeBytes + " bytes; the limit for a clip is " + maxBytes + " bytes");
        }
    }

    /** The clip's container as its first bytes ({@link VideoContainer#HEAD_BYTES} or fewer) say. */
    public VideoContainer container(String name, byte[] head) {
        Optional<VideoContainer> container = VideoContainer.sniff(head);
        if (container.isPresent()) {
            return container.get();
        }
        String why = VideoContainer.isPicture(head)
                ? "a still picture, not a clip: send pictures to /api/images"
                : "not a supported clip (MP4, MOV, MKV or WebM expected)";
        throw ApiException.coded(UploadValidator.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED, "'" + name + "' is " + why);
    }
}
