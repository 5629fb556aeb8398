package io.animegan.common.storage;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.animegan.common.config.StorageConfig;
import io.animegan.events.BlobRef;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Http;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The service's only door to object storage. Keys are made by the service (see {@link Keys});
 * writes to the same key overwrite, so a retried record never leaves duplicates.
 */
public final class BlobStore {

  /**
   * One HTTP client for every store: MinIO's builder otherwise makes a new one each time, parsing
   * every system CA certificate (about 2 s here).
   */
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(10))
      .readTimeout(Duration.ofMinutes(2))
      .writeTimeout(Duration.ofMinutes(2))
      .build();

  private final MinioClient client;
  private final String bucket;
  private final RetryPolicy<Object> retry;

  public BlobStore(StorageConfig config) {
    MinioClient.Builder builder = MinioClient.builder()
        .endpoint(config.endpoint())
        .credentials(config.accessKey(), config.secretKey())
        .httpClient(HTTP, false);
    if (config.region() != null && !config.region().isBlank()) {
      builder.region(config.region());
    }
    this.client = builder.build();
    this.bucket = config.bucket();
    this.retry = RetryPolicy.builder()
        .handleIf(e -> !(e instanceof ErrorResponseException))
        .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .withMaxRetries(5)
        .build();
  }

  public String bucket() {
    return bucket;
  }

  /** Creates the bucket if it does not exist yet. */
  public void ensureBucket() {
    call(() -> {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
      return null;
    }, "create bucket " + bucket);
  }

  public BlobRef put(String key, byte[] bytes, String contentType) {
    call(() -> client.putObject(PutObjectArgs.builder()
        .bucket(bucket)
        .object(key)
        .stream(new ByteArrayInputStream(bytes), (long) bytes.length, null)
        .contentType(contentType)
        .build()), "put " + key);
    return new BlobRef(bucket, key);
  }

  public byte[] get(BlobRef ref) {
    return call(() -> {
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(ref.getBucket()).object(ref.getKey()).build())) {
        return in.readAllBytes();
      }
    }, "get " + ref.getKey());
  }

  private <T> T call(dev.failsafe.function.CheckedSupplier<T> action, String what) {
    try {
      return Failsafe.with(retry).get(action);
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ErrorResponseException err && "NoSuchKey".equals(err.errorResponse().code())) {
        throw new BlobNotFoundException(what, err);
      }
      throw new StorageException("storage: cannot " + what + ": " + cause.getMessage(), cause);
    }
  }

  /**
   * A URL that lets its holder GET the blob straight from object storage until it expires. It is
   * signed for the endpoint this store uses, so it works for clients that can reach that endpoint.
   */
  public String presignedGet(BlobRef ref, Duration expiry) {
    return call(() -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
        .method(Http.Method.GET)
        .bucket(ref.getBucket())
        .object(ref.getKey())
        .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
        .build()), "presign " + ref.getKey());
  }

  /**
   * Deletes every object whose key starts with {@code prefix} and returns how many there were.
   * One attempt, no retries: callers that delete in the background (the status app's cleanup and
   * retention) retry later on their own schedule instead of blocking here.
   *
   * @throws StorageException when storage cannot be reached or refuses a deletion
   */
  public int deletePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a prefix ends with '/': " + prefix);
    }
    try {
      java.util.List<io.minio.messages.DeleteRequest.Object> objects = new java.util.ArrayList<>();
      for (io.minio.Result<io.minio.messages.Item> item : client.listObjects(
          io.minio.ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        objects.add(new io.minio.messages.DeleteRequest.Object(item.get().objectName()));
      }
      if (objects.isEmpty()) {
        return 0;
      }
      for (io.minio.Result<io.minio.messages.DeleteResult.Error> error : client.removeObjects(
          io.minio.RemoveObjectsArgs.builder().bucket(bucket).objects(objects).build())) {
        io.minio.messages.DeleteResult.Error e = error.get();
        throw new StorageException("storage: cannot delete " + e.objectName() + ": " + e.message(), null);
      }
      return objects.size();
    } catch (StorageException e) {
      throw e;
    } catch (Exception e) {
      throw new StorageException("storage: cannot delete " + prefix + "*: " + e.getMessage(), e);
    }
  }
}
