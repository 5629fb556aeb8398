package io.animegan.client;

import java.time.Duration;

/** A 5xx answer: the service cannot serve the request now; the same request may succeed later. */
public final class ServerError extends ApiError {

    ServerError(int status, String error, String code, Duration retryAfter) {
        super(status, error, code, retryAfter);
    }
}
