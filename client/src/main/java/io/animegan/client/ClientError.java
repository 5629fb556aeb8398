package io.animegan.client;

import java.time.Duration;

/** A 4xx answer: the request itself is wrong (bad option, not a picture, no token, too many requests...). */
public final class ClientError extends ApiError {

    ClientError(int status, String error, String code, Duration retryAfter) {
        super(status, error, code, retryAfter);
    }
}
