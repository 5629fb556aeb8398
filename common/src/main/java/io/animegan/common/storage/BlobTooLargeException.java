package io.animegan.common.storage;

/** An object is larger than the caller is willing to hold: the caller's limit, not an outage, so never retried. */
public final class BlobTooLargeException extends RuntimeException {

    public BlobTooLargeException(String message) {
        super(message);
    }
}
