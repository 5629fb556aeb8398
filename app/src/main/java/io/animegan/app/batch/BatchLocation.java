package io.animegan.app.batch;

import io.animegan.common.config.StorageConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a batch reads its photos or writes its results: a local folder or {@code s3://bucket/prefix}.
 * Names are relative to the folder or prefix.
 */
public interface BatchLocation {

    /** Files directly inside, by name, sorted. */
    List<String> list() throws IOException;

    byte[] read(String name) throws IOException;

    /** The file's bytes, or null when there is no such file. */
    byte[] readIfExists(String name) throws IOException;

    void write(String name, byte[] bytes, String contentType) throws IOException;

    boolean exists(String name) throws IOException;

    /** The bucket and key prefix of an S3 location, null for a folder. */
    S3Location.Address s3Address();

    /**
     * @param where a folder path or {@code s3://bucket/prefix}
     * @param storage S3 endpoint and credentials, only needed for an S3 location (may be null otherwise)
     */
    static BatchLocation of(String where, StorageConfig storage) {
        if (where.startsWith("s3://")) {
            if (storage == null) {
                throw new IllegalArgumentException(
                        where + " needs ANIMEGAN_S3_ENDPOINT, ANIMEGAN_S3_ACCESS_KEY and ANIMEGAN_S3_SECRET_KEY");
            }
            return new S3Location(S3Location.Address.parse(where), storage);
        }
        return new FolderLocation(Path.of(where));
    }
}
