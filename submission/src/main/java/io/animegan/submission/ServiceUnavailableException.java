package io.animegan.submission;

/** A part the API depends on (Kafka) is unavailable: the client should try again later (503 with Retry-After). */
public final class ServiceUnavailableException extends RuntimeException {
    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
