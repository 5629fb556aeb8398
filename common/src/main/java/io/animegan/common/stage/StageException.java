package io.animegan.common.stage;

/** A picture this stage cannot process. The stage emits ImageFailed with the code and goes on. */
public class StageException extends RuntimeException {

    private final ErrorCode code;

    public StageException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public StageException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
