package io.animegan.submission;

/**
 * A request refused, with the HTTP status a client is answered with (the vocabulary every client
 * of the service shares) and a message for the client.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final long retryAfterSeconds;
    private final String code;

    public ApiException(int status, String message) {
        this(status, message, 0);
    }

    /** @param retryAfterSeconds when the client may try again; 0 leaves it to the service's default */
    public ApiException(int status, String message, long retryAfterSeconds) {
        this(status, message, retryAfterSeconds, null);
    }

    private ApiException(int status, String message, long retryAfterSeconds, String code) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.code = code;
    }

    /** A 400 that also names a stable machine-readable code, for refusals a client program handles. */
    public static ApiException invalid(String code, String message) {
        return new ApiException(400, message, 0, code);
    }

    /** A refusal with any status and a stable machine-readable code. */
    public static ApiException coded(int status, String code, String message) {
        return new ApiException(status, message, 0, code);
    }

    /** The refusal's machine-readable code, or null where the status says enough. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Seconds the client is told to wait before trying again, or 0 for the service's default. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
