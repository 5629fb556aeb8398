package io.animegan.common.storage;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.function.CheckedSupplier;
import io.animegan.common.config.StorageConfig;
import io.animegan.events.BlobRef;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The service's only door to object storage. Keys are made by the service (see {@link Keys});
 * writes to the same key overwrite, so a retried record never leaves duplicates.
 *
 * <p>Every failure is classified once, here: a missing object is {@link BlobNotFoundException}
 * (permanent: the picture cannot be processed); anything else (refused connections, timeouts,
 * broken streams, 5xx, refused credentials, the MinIO SDK's unchecked exceptions) is about the
 * storage, not the picture, so it is retried and then surfaces as the transient
 * {@link StorageException}.
 */
public final class BlobStore {

    /**
     * How long one call keeps trying before it gives up with {@link StorageException}.
     *
     * @param maxRetries retries after the first attempt, -1 for as many as {@code maxDuration} allows
     * @param firstDelay wait before the first retry; doubled each time up to {@code maxDelay}
     * @param maxDuration no retry starts after this much time has passed since the first attempt
     * @param connectTimeout longest wait for a TCP connection to the storage
     */
    public record Patience(
            int maxRetries, Duration firstDelay, Duration maxDelay, Duration maxDuration, Duration connectTimeout) {

        /**
         * Stages ride out an outage: retries every few seconds for a minute, well inside the
         * transaction timeout and poll interval of {@code StreamsSettings}, so the stage gives the
         * record back to Kafka Streams (which replaces the thread and reprocesses from the last
         * commit) before the broker would abort its transaction. A broker that accepts connections
         * but is slow to answer at start-up is waited for the same way ({@code TopicAdmin}).
         */
        public static final Patience STAGE = new Patience(
                -1, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(10));

        /**
         * A client is waiting: one quick retry for a blip, then answer (ingest turns it into 503 with
         * Retry-After) rather than hold the request while storage is down.
         */
        public static final Patience REQUEST = new Patience(
                1, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(2));

        /** These retries, delays and bounds; the caller says which failures they are for. */
        public RetryPolicyBuilder<Object> retries() {
            RetryPolicyBuilder<Object> builder =
                    RetryPolicy.builder().withMaxRetries(maxRetries).withMaxDuration(maxDuration);
            return maxDelay.compareTo(firstDelay) > 0
                    ? builder.withBackoff(firstDelay, maxDelay)
                    : builder.withDelay(firstDelay);
        }
    }

    /** Error codes S3 answers for an object that is not there. */
    private static final Set<String> MISSING_OBJECT = Set.of("NoSuchKey", "NoSuchBucket");

    /**
     * One HTTP client for every store: MinIO's builder otherwise makes a new one each time, parsing
     * every system CA certificate, which takes seconds. Stores derive theirs from it, sharing its pool.
     */
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofMinutes(2))
            .writeTimeout(Duration.ofMinutes(2))
            .build();

    /** Region a presigning client is given when none is configured (so it never asks the server). */
    static final String DEFAULT_REGION = "us-east-1";

    private final MinioClient client;
    /** Signs presigned URLs for the public endpoint; the same client when there is none. */
    private final MinioClient presigner;

    private final String bucket;
    private final RetryPolicy<Object> retry;

    /** A store for stages: patient with outages ({@link Patience#STAGE}). */
    public BlobStore(StorageConfig config) {
        this(config, Patience.STAGE);
    }

    public BlobStore(StorageConfig config, Patience patience) {
        OkHttpClient http =
                HTTP.newBuilder().connectTimeout(patience.connectTimeout()).build();
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(http, false);
        if (config.region() != null && !config.region().isBlank()) {
            builder.region(config.region());
        }
        this.client = builder.build();
        // Presigning is offline, but the signature covers the host: a URL for clients outside must be
        // signed for the host they use, by a client built on it. Its region is set, so the client
        // never calls that host (which the service itself may not reach) to look the region up.
        this.presigner = config.publicEndpoint() == null
                ? client
                : MinioClient.builder()
                        .endpoint(config.publicEndpoint())
                        .credentials(config.accessKey(), config.secretKey())
                        .region(
                                config.region() != null && !config.region().isBlank()
                                        ? config.region()
                                        : DEFAULT_REGION)
                        .httpClient(http, false)
                        .build();
        this.bucket = config.bucket();
        this.retry = retryPolicy(patience);
    }

    private static RetryPolicy<Object> retryPolicy(Patience patience) {
        return patience.retries()
                .handle(StorageException.class)
                .abortIf((result, failure) -> Thread.currentThread().isInterrupted())
                .build();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it does not exist yet. */
    public void ensureBucket() {
        call(
                () -> {
                    if (!client.bucketExists(
                            BucketExistsArgs.builder().bucket(bucket).build())) {
                        client.makeBucket(
                                MakeBucketArgs.builder().bucket(bucket).build());
                    }
                    return null;
                },
                "create bucket " + bucket);
    }

    public BlobRef put(String key, byte[] bytes, String contentType) {
        call(
                () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(bytes), (long) bytes.length, null)
                        .contentType(contentType)
                        .build()),
                "put " + key);
        return new BlobRef(bucket, key);
    }

    /**
     * As {@link #put(String, byte[], String)}, with user metadata stored beside the object (S3
     * {@code x-amz-meta-*}; keys lower-case, values printable ASCII).
     */
    public BlobRef put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        call(
                () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(bytes), (long) bytes.length, null)
                        .contentType(contentType)
                        .userMetadata(metadata)
                        .build()),
                "put " + key);
        return new BlobRef(bucket, key);
    }

    /**
     * As {@link #put(String, byte[], String, Map)}, read from {@code content} ({@code sizeBytes} long)
     * as it is sent, so an upload of any size passes through a bounded buffer. One attempt: a
     * stream cannot be read twice, so a failure surfaces as {@link StorageException} at once.
     */
    public BlobRef put(
            String key, InputStream content, long sizeBytes, String contentType, Map<String, String> metadata) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(content, sizeBytes, null)
                    .contentType(contentType)
                    .userMetadata(metadata)
                    .build());
        } catch (Exception e) {
            throw new StorageException("storage: cannot put " + key + ": " + e, e);
        }
        return new BlobRef(bucket, key);
    }

    /**
     * Copies the object {@code from} to {@code key} inside the storage, without its bytes passing
     * through this process; {@link BlobNotFoundException} when {@code from} does not exist.
     */
    public BlobRef copy(BlobRef from, String key) {
        call(
                () -> client.copyObject(CopyObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .source(SourceObject.builder()
                                .bucket(from.getBucket())
                                .object(from.getKey())
                                .build())
                        .build()),
                "copy " + from.getKey() + " to " + key,
                true);
        return new BlobRef(bucket, key);
    }

    /**
     * Bytes {@code offset} to {@code offset + length - 1} of the object as a stream the caller
     * closes; {@link BlobNotFoundException} when it does not exist.
     */
    public InputStream open(BlobRef ref, long offset, long length) {
        return call(
                () -> client.getObject(GetObjectArgs.builder()
                        .bucket(ref.getBucket())
                        .object(ref.getKey())
                        .offset(offset)
                        .length(length)
                        .build()),
                "get " + ref.getKey(),
                true);
    }

    /**
     * As {@link #put(String, byte[], String)}, streaming {@code file} (a video clip or segment can be
     * hundreds of MB), so memory stays flat whatever its size.
     */
    public BlobRef put(String key, Path file, String contentType) {
        call(
                () -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        return client.putObject(
                                PutObjectArgs.builder().bucket(bucket).object(key).stream(in, Files.size(file), null)
                                        .contentType(contentType)
                                        .build());
                    }
                },
                "put " + key);
        return new BlobRef(bucket, key);
    }

    /**
     * What a HEAD of an object tells: its size, user metadata (keys lower-case, without
     * {@code x-amz-meta-}) and ETag (the same for the same bytes put or copied whole; may be null).
     */
    public record BlobInfo(long size, Map<String, String> metadata, String etag) {}

    /** The object's size, metadata and ETag without reading it; empty when it does not exist. */
    public Optional<BlobInfo> stat(String key) {
        try {
            return Optional.of(call(
                    () -> {
                        StatObjectResponse head = client.statObject(StatObjectArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .build());
                        Map<String, String> metadata = new HashMap<>();
                        for (Map.Entry<String, String> header : head.userMetadata()) {
                            String name = header.getKey().toLowerCase(Locale.ROOT);
                            metadata.putIfAbsent(
                                    name.startsWith("x-amz-meta-") ? name.substring("x-amz-meta-".length()) : name,
                                    header.getValue());
                        }
                        return new BlobInfo(head.size(), Map.copyOf(metadata), head.etag());
                    },
                    "stat " + key,
                    true));
        } catch (BlobNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The object's bytes, refusing one larger than {@code maxBytes} without holding more than that
     * (it may have grown since a {@link #stat}); {@link BlobNotFoundException} when it does not exist.
     */
    public byte[] get(BlobRef ref, long maxBytes) {
        return call(
                () -> {
                    try (InputStream in = client.getObject(GetObjectArgs.builder()
                            .bucket(ref.getBucket())
                            .object(ref.getKey())
                            .build())) {
                        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                        if (bytes.length > maxBytes) {
                            throw new BlobTooLargeException(ref.getKey() + " is larger than " + maxBytes + " bytes");
                        }
                        return bytes;
                    }
                },
                "get " + ref.getKey(),
                true);
    }

    /** The object's bytes; {@link BlobNotFoundException} when it (or its bucket) does not exist. */
    public byte[] get(BlobRef ref) {
        return call(
                () -> {
                    try (InputStream in = client.getObject(GetObjectArgs.builder()
                            .bucket(ref.getBucket())
                            .object(ref.getKey())
                            .build())) {
                        return in.readAllBytes();
                    }
                },
                "get " + ref.getKey(),
                true);
    }

    /**
     * Streams the object into {@code file} (replacing it), with the retries and failures of
     * {@link #get(BlobRef)}; each attempt starts the file afresh.
     */
    public void get(BlobRef ref, Path file) {
        call(
                () -> {
                    try (InputStream in = client.getObject(GetObjectArgs.builder()
                            .bucket(ref.getBucket())
                            .object(ref.getKey())
                            .build())) {
                        return Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                },
                "get " + ref.getKey(),
                true);
    }

    /**
     * Runs one storage call under the retry policy. Failures are classified inside each attempt, so
     * the policy retries exactly the transient ones and whatever escapes is already one of the two
     * exceptions callers handle (Failsafe rethrows unchecked exceptions as they are).
     */
    private <T> T call(CheckedSupplier<T> action, String what) {
        return call(action, what, false);
    }

    /** @param reading a missing object or bucket means the picture's source is gone, not an outage */
    private <T> T call(CheckedSupplier<T> action, String what, boolean reading) {
        try {
            return Failsafe.with(retry).get(() -> {
                try {
                    return action.get();
                } catch (Exception e) {
                    throw classify(e, what, reading);
                }
            });
        } catch (FailsafeException e) {
            // Only checked exceptions arrive wrapped: an interrupted retry wait.
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StorageException("storage: cannot " + what + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * A URL that lets its holder GET the blob straight from object storage until it expires. It is
     * signed for the public endpoint when one is configured ({@link StorageConfig#publicEndpoint}),
     * else for the endpoint this store uses; made offline, without a call to storage.
     */
    public String presignedGet(BlobRef ref, Duration expiry) {
        return call(
                () -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Http.Method.GET)
                        .bucket(ref.getBucket())
                        .object(ref.getKey())
                        .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
                        .build()),
                "presign " + ref.getKey());
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
            List<DeleteRequest.Object> objects = new ArrayList<>();
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                objects.add(new DeleteRequest.Object(item.get().objectName()));
            }
            if (objects.isEmpty()) {
                return 0;
            }
            for (Result<DeleteResult.Error> error : client.removeObjects(
                    RemoveObjectsArgs.builder().bucket(bucket).objects(objects).build())) {
                DeleteResult.Error e = error.get();
                throw new StorageException("storage: cannot delete " + e.objectName() + ": " + e.message(), null);
            }
            return objects.size();
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException("storage: cannot delete " + prefix + "*: " + e.getMessage(), e);
        }
    }

    /** A missing source is the picture's problem; every other failure is the storage's. */
    static RuntimeException classify(Exception e, String what, boolean reading) {
        if (e instanceof BlobNotFoundException || e instanceof StorageException || e instanceof BlobTooLargeException) {
            return (RuntimeException) e;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (reading
                && e instanceof ErrorResponseException err
                && err.errorResponse() != null
                && (MISSING_OBJECT.contains(err.errorResponse().code())
                        || err.response() != null && err.response().code() == 404)) {
            return new BlobNotFoundException(what, err);
        }
        return new StorageException("storage: cannot " + what + ": " + describe(e), e);
    }

    /** The exception and its innermost cause, e.g. "IllegalStateException: ... (ConnectException: Connection refused)". */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + " (" + root + ")";
    }
}
