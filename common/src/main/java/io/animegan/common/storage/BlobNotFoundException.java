package io.animegan.common.storage;

/** The referenced object does not exist: permanent, the image cannot be processed. */
public final class BlobNotFoundException extends RuntimeException {
    public BlobNotFoundException(String what, Throwable cause) {
        super("storage: no such object: " + what, cause);
    }
}
