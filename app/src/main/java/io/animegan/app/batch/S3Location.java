package io.animegan.app.batch;

import io.animegan.common.config.StorageConfig;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** {@code s3://bucket/prefix} as a batch's input or output, through the MinIO SDK. */
final class S3Location implements BatchLocation {

    /** @param prefix key prefix ending in "/", or "" for the whole bucket */
    record Address(String bucket, String prefix) {

        static Address parse(String uri) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isBlank()) {
                throw new IllegalArgumentException("no bucket in " + uri);
            }
            return new Address(bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
        }

        String key(String name) {
            return prefix + name;
        }
    }

    private final Address address;
    private final MinioClient client;

    S3Location(Address address, StorageConfig storage) {
        this.address = address;
        this.client = MinioClient.builder()
                .endpoint(storage.endpoint())
                .region(storage.region())
                .credentials(storage.accessKey(), storage.secretKey())
                .build();
    }

    @Override
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(address.bucket())
                    .prefix(address.prefix())
                    .recursive(false)
                    .build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    names.add(item.objectName().substring(address.prefix().length()));
                }
            }
        } catch (MinioException e) {
            throw new IOException("cannot list " + this + ": " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public byte[] read(String name) throws IOException {
        try (InputStream in = client.getObject(GetObjectArgs.builder()
                .bucket(address.bucket())
                .object(address.key(name))
                .build())) {
            return in.readAllBytes();
        } catch (MinioException e) {
            throw new IOException("cannot read " + address.key(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] readIfExists(String name) throws IOException {
        return exists(name) ? read(name) : null;
    }

    @Override
    public void write(String name, byte[] bytes, String contentType) throws IOException {
        try {
            client.putObject(PutObjectArgs.builder().bucket(address.bucket()).object(address.key(name)).stream(
                            new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                    .contentType(contentType)
                    .build());
        } catch (MinioException e) {
            throw new IOException("cannot write " + address.key(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        try {
            client.statObject(StatObjectArgs.builder()
                    .bucket(address.bucket())
                    .object(address.key(name))
                    .build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())
                    || "NotFound".equals(e.errorResponse().code())) {
                return false;
            }
            throw new IOException("cannot look up " + address.key(name) + ": " + e.getMessage(), e);
        } catch (MinioException e) {
            throw new IOException("cannot look up " + address.key(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Address s3Address() {
        return address;
    }

    @Override
    public String toString() {
        return "s3://" + address.bucket() + "/" + address.prefix();
    }
}
