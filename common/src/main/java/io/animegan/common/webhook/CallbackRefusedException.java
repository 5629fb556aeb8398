package io.animegan.common.webhook;

/** A callback URL the {@link CallbackPolicy} does not permit; the message says why, for the client. */
public final class CallbackRefusedException extends RuntimeException {

    /** The error code a refused callback URL is answered with. */
    public static final String CODE = "CALLBACK_URL_REFUSED";

    public CallbackRefusedException(String message) {
        super(message);
    }
}
