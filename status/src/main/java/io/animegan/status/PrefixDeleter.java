package io.animegan.status;

/**
 * Deletes every blob under a key prefix, once; throws
 * {@link io.animegan.common.storage.StorageException} when storage is unavailable.
 * {@link io.animegan.common.storage.BlobStore#deletePrefix} in production.
 */
@FunctionalInterface
public interface PrefixDeleter {
    void deletePrefix(String prefix);
}
