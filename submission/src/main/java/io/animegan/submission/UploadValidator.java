package io.animegan.submission;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.ImageException;
import io.animegan.common.image.ImageHeader;
import io.animegan.common.stage.ErrorCode;

/**
 * Decides whether one uploaded file is acceptable, from its bytes alone (magic bytes and header,
 * never its name): 415 for what is not a supported picture, 413 for what is too big.
 */
public final class UploadValidator {

    public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    public static final int CONTENT_TOO_LARGE = 413;

    private final long maxBytes;

    public UploadValidator(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Refuses a file by its declared size, before its content is read. */
    public void checkSize(String name, long sizeBytes) {
        if (sizeBytes > maxBytes) {
            throw new ApiException(
                    CONTENT_TOO_LARGE,
                    "'" + name + "' is " + sizeBytes + " bytes; the limit is " + maxBytes + " bytes");
        }
    }

    public ValidUpload validate(String name, byte[] bytes) {
        checkSize(name, bytes.length);
        ImageHeader header;
        try {
            header = ImageHeader.read(bytes);
        } catch (ImageException e) {
            if (VideoContainer.sniff(bytes).isPresent()) {
                throw ApiException.coded(
                        UNSUPPORTED_MEDIA_TYPE,
                        VideoValidator.VIDEO_NOT_PICTURE,
                        "'" + name + "' is a video clip, not a picture: send clips to /api/videos");
            }
            String why =
                    e.code() == ErrorCode.UNSUPPORTED_FORMAT ? e.getMessage() : "unreadable picture: " + e.getMessage();
            throw new ApiException(UNSUPPORTED_MEDIA_TYPE, "'" + name + "' is " + why);
        } catch (RuntimeException e) {
            // A header cut short reads past the end of the array.
            throw new ApiException(
                    UNSUPPORTED_MEDIA_TYPE, "'" + name + "' is an unreadable picture (header cut short)");
        }
        if (header.pixels() > ImageCodec.MAX_PIXELS) {
            throw new ApiException(
                    CONTENT_TOO_LARGE,
                    "'" + name + "' is " + header.width() + "x" + header.height() + " pixels; the limit is "
                            + ImageCodec.MAX_PIXELS + " pixels");
        }
        return new ValidUpload(name, bytes, header);
    }

    /** Longest file name kept for display, in code points; longer names are cut. */
    public static final int MAX_NAME_CODE_POINTS = 200;

    /**
     * The last path segment of what the client sent (some browsers send a full path), without
     * control characters and at most {@link #MAX_NAME_CODE_POINTS} long. The name is only ever
     * displayed: object keys are made by the service.
     */
    public static String displayName(String filename) {
        String name = filename == null ? "" : filename;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1)
                .codePoints()
                .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .limit(MAX_NAME_CODE_POINTS)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString()
                .strip();
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "upload" : name;
    }

    /** A file that passed validation: its client-side name (display only), bytes and header. */
    public record ValidUpload(String name, byte[] bytes, ImageHeader header) {}
}
