package io.animegan.video;

/** A clip this library refuses or cannot read, with its {@link VideoError} code. */
public final class VideoException extends RuntimeException {

    private final VideoError code;

    public VideoException(VideoError code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public VideoException(VideoError code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public VideoError code() {
        return code;
    }
}
