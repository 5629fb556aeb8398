package io.animegan.client.webhook;

/** A delivery that must not be trusted, and why. */
public final class WebhookVerificationException extends Exception {

    /** Why a delivery was refused. */
    public enum Reason {
        /** One of {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature} is absent. */
        MISSING_HEADER,
        /** {@code webhook-timestamp} is not a number of seconds. */
        MALFORMED_TIMESTAMP,
        /** The timestamp is further from now than the tolerance: a replay, or a badly wrong clock. */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No {@code v1} signature in the header matches the body under this secret. */
        NO_MATCHING_SIGNATURE
    }

    private final Reason reason;

    WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
