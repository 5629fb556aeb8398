package io.animegan.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The service refused a request: {@link ClientError} for a 4xx answer (fix the request),
 * {@link ServerError} for a 5xx one (try again later). The message is the {@code error} field of
 * the service's JSON error body, {@link #code()} its stable code when it sends one.
 */
public abstract sealed class ApiError extends IOException permits ClientError, ServerError {

    private final int status;
    private final String error;
    private final String code;
    private final Duration retryAfter;

    ApiError(int status, String error, String code, Duration retryAfter) {
        super("HTTP " + status + (code == null ? "" : " " + code) + ": " + error);
        this.status = status;
        this.error = error;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The error a refusal answers with, typed by its status class. */
    static ApiError of(AnimeganClient.Response response) {
        String error = response.error();
        String code = response.code().orElse(null);
        return response.status() < 500
                ? new ClientError(response.status(), error, code, response.retryAfter())
                : new ServerError(response.status(), error, code, response.retryAfter());
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** What the service said went wrong. */
    public String error() {
        return error;
    }

    /**
     * The stable machine-readable {@code code} of the service's error body, where a program is
     * expected to act on the refusal (e.g. {@code CALLBACK_URL_REFUSED}, {@code UNSUPPORTED_VIDEO}).
     */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** How long the service asked to wait before trying again ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
