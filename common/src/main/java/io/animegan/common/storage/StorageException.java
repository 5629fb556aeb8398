package io.animegan.common.storage;

/** Storage unreachable or refusing after retries: transient, so a stage retries the record rather than failing the image. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
