package io.animegan.status;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.storage.BlobStore.Patience;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image statuses as this ingest instance sees them: the status app ({@link StatusTopology}) runs
 * here as a Kafka Streams application, and any instance answers any id, from its own store or by
 * asking the instance that owns the id's partition on {@link #INTERNAL_ROUTE}. Live changes of
 * every image reach {@link #subscribe} listeners on every instance. Ingest uses it as a
 * {@link StatusStore}; the placement queries ({@link #ownerOf}, {@link #videoOwnerOf}, {@link #usageOwnerOf}, {@link #self})
 * are for tests that wait for a settled group.
 */
public final class StatusService implements StatusStore {

    private static final Logger log = LoggerFactory.getLogger(StatusService.class);
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(3);
    /** How long a request waits for this instance's own store before hearing 503. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** The stores requests ask, each looked up once before this instance calls itself ready. */
    private static final List<String> QUERIED_STORES =
            List.of(StatusTopology.STATUSES, StatusTopology.JOBS, StatusTopology.TENANT_BYTES, StatusTopology.VIDEOS);
    /** The readiness lookup's key: any key does, only whether the store answers counts. */
    private static final String PROBE_KEY = "readiness-probe";
    /** How often start-up asks again while the stores restore or settle. */
    private static final Duration FIRST_PROBE_DELAY = Duration.ofMillis(100);

    private static final Duration MAX_PROBE_DELAY = Duration.ofSeconds(1);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final StatusChangelogTail<ImageStatus> feed;
    private final StatusChangelogTail<VideoStatus> videoFeed;
    private final String internalSecret;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(REMOTE_TIMEOUT).build();
    /** One thread deletes blobs for retention and cleanup; a full queue just leaves work for the next round. */
    private final BoundedLookups lookups = new BoundedLookups(LOOKUP_TIMEOUT);

    private final ThreadPoolExecutor deletions =
            new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(2_000), runnable -> {
                Thread thread = new Thread(runnable, "ingest-status-blob-deletions");
                thread.setDaemon(true);
                return thread;
            });

    private StatusService(
            PipelineConfig config,
            StatusSettings settings,
            int internalPort,
            String internalSecret,
            PrefixDeleter blobs) {
        this.self = new HostInfo(settings.advertisedHost(), internalPort);
        this.internalSecret = internalSecret;
        this.streams = new KafkaStreams(
                StatusTopology.build(config.topics(), config.storage().bucket(), settings, blobs, deletions),
                properties(config, self));
        streams.setStateListener((now, before) -> log.info("status app: {} -> {}", before, now));
        // What reaches here is transient (broker hiccup, storage timeout): a fresh thread resumes from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            log.warn("status app: retrying after error: {}", e.toString());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        this.feed = new StatusChangelogTail<>(
                config.bootstrapServers(),
                config.kafkaClient(),
                StatusTopology.statusChangelog(StatusTopology.APPLICATION_ID),
                StoredStatuses::readAny);
        this.videoFeed = new StatusChangelogTail<>(
                config.bootstrapServers(),
                config.kafkaClient(),
                StatusTopology.videoChangelog(StatusTopology.APPLICATION_ID),
                VideoStatus::read);
    }

    /**
     * Starts the status app (the topics must exist).
     *
     * @param internalPort the port this instance's internal routes listen on, advertised to the others
     * @param internalSecret sent to the other instances' internal routes; null for none
     * @param blobs deletes blobs for the retention policy and the cleanup of intermediates
     */
    public static StatusService start(
            PipelineConfig config,
            StatusSettings settings,
            int internalPort,
            String internalSecret,
            PrefixDeleter blobs) {
        return new StatusService(config, settings, internalPort, internalSecret, blobs);
    }

    /** The status app's Kafka Streams configuration, the Kafka client settings of {@code config} included. */
    public static Properties properties(PipelineConfig config, HostInfo self) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, StatusTopology.APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                config.stateDir().resolve(StatusTopology.APPLICATION_ID).toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        // A new status app folds the topics from their beginning once; afterwards its committed offsets rule.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 15_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return config.kafkaClient().applyTo(p);
    }

    /**
     * The image's status, from this instance's store or from the instance owning the id.
     *
     * @return empty when no instance knows the id
     * @throws StatusUnavailableException while the store is starting, restoring or rebalancing, or
     *     its owner cannot be reached: the answer would be a guess, so the caller should retry
     */
    @Override
    public Optional<ImageStatus> find(String id) {
        KeyQueryMetadata owner = owner(id);
        if (owner.activeHost().equals(self)) {
            return local(id, owner.partition());
        }
        return remote(owner.activeHost(), id);
    }

    /**
     * The clip's status, from this instance's videos store or from the instance owning the id.
     *
     * @throws StatusUnavailableException as {@link #find} does
     */
    @Override
    public Optional<VideoStatus> findVideo(String id) {
        KeyQueryMetadata owner = owner(StatusTopology.VIDEOS, id);
        if (owner.activeHost().equals(self)) {
            return localVideo(id, owner.partition());
        }
        return remote(owner.activeHost(), INTERNAL_VIDEO_ROUTE, id).map(VideoStatus::read);
    }

    /** The clip's status as stored here, for the internal route: only for ids this instance owns. */
    private Optional<byte[]> findOwnedVideo(String id) {
        KeyQueryMetadata owner = owner(StatusTopology.VIDEOS, id);
        if (!owner.activeHost().equals(self)) {
            throw new StatusUnavailableException("video " + id + " is owned by " + owner.activeHost() + " now");
        }
        return localVideo(id, owner.partition()).map(VideoStatus::write);
    }

    private Optional<VideoStatus> localVideo(String id, int partition) {
        return this.<VideoChange>local(StatusTopology.VIDEOS, id, partition).map(VideoChange::after);
    }

    /**
     * The id's status as stored here, for the internal route: only answers for ids this instance
     * owns, so a request never bounces between instances.
     */
    private Optional<byte[]> findOwned(String id) {
        KeyQueryMetadata owner = owner(id);
        if (!owner.activeHost().equals(self)) {
            throw new StatusUnavailableException("image " + id + " is owned by " + owner.activeHost() + " now");
        }
        return local(id, owner.partition()).map(StoredStatuses::write);
    }

    /**
     * The job's progress, from this instance's job store or from the instance owning the job id.
     *
     * @return empty when no instance knows the job
     * @throws StatusUnavailableException as {@link #find} does
     */
    @Override
    public Optional<JobStatus> job(String jobId) {
        KeyQueryMetadata owner = owner(StatusTopology.JOBS, jobId);
        if (owner.activeHost().equals(self)) {
            return localJob(jobId, owner.partition());
        }
        return remote(owner.activeHost(), INTERNAL_JOB_ROUTE, jobId).map(StoredJobs::readAny);
    }

    @Override
    public Owned owned() {
        return new Owned() {
            @Override
            public Optional<byte[]> status(String imageId) {
                return findOwned(imageId);
            }

            @Override
            public Optional<byte[]> job(String jobId) {
                return findOwnedJob(jobId);
            }

            @Override
            public Optional<byte[]> video(String videoId) {
                return findOwnedVideo(videoId);
            }

            @Override
            public long storedBytes(String tenant) {
                return storedBytesOwned(tenant);
            }
        };
    }

    /** The job as stored here, for the internal route: only for jobs this instance owns. */
    private Optional<byte[]> findOwnedJob(String jobId) {
        KeyQueryMetadata owner = owner(StatusTopology.JOBS, jobId);
        if (!owner.activeHost().equals(self)) {
            throw new StatusUnavailableException("job " + jobId + " is owned by " + owner.activeHost() + " now");
        }
        return localJob(jobId, owner.partition()).map(StoredJobs::write);
    }

    /**
     * Bytes of originals the tenant keeps stored, summed by the instance owning the tenant's
     * partition of the usage topic (the same answer on every instance).
     *
     * @throws StatusUnavailableException as {@link #find} does
     */
    @Override
    public long storedBytes(String tenant) {
        KeyQueryMetadata owner = owner(StatusTopology.TENANT_BYTES, tenant);
        if (owner.activeHost().equals(self)) {
            return this.<Long>local(StatusTopology.TENANT_BYTES, tenant, owner.partition())
                    .orElse(0L);
        }
        return remote(owner.activeHost(), INTERNAL_USAGE_ROUTE, tenant)
                .map(bytes -> Long.parseLong(new String(bytes, StandardCharsets.US_ASCII).strip()))
                .orElse(0L);
    }

    /** The tenant's stored bytes as summed here, for the internal route: only for tenants this instance owns. */
    private long storedBytesOwned(String tenant) {
        KeyQueryMetadata owner = owner(StatusTopology.TENANT_BYTES, tenant);
        if (!owner.activeHost().equals(self)) {
            throw new StatusUnavailableException("tenant " + tenant + " is owned by " + owner.activeHost() + " now");
        }
        return this.<Long>local(StatusTopology.TENANT_BYTES, tenant, owner.partition())
                .orElse(0L);
    }

    /** Which instance sums the tenant's stored bytes; every other instance asks it. */
    public HostInfo usageOwnerOf(String tenant) {
        return owner(StatusTopology.TENANT_BYTES, tenant).activeHost();
    }

    /** Which instance answers for the id from its own store. */
    public HostInfo ownerOf(String id) {
        return owner(id).activeHost();
    }

    /** Which instance answers for the clip from its own videos store. */
    public HostInfo videoOwnerOf(String id) {
        return owner(StatusTopology.VIDEOS, id).activeHost();
    }

    public HostInfo self() {
        return self;
    }

    private KeyQueryMetadata owner(String id) {
        return owner(StatusTopology.STATUSES, id);
    }

    private KeyQueryMetadata owner(String storeName, String id) {
        return lookups.call("where " + id + " lives", () -> ownerNow(storeName, id));
    }

    private KeyQueryMetadata ownerNow(String storeName, String id) {
        KafkaStreams.State state = streams.state();
        if (!state.isRunningOrRebalancing()) {
            throw new StatusUnavailableException("status store is " + state);
        }
        KeyQueryMetadata metadata;
        try {
            metadata =
                    streams.queryMetadataForKey(storeName, id, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            throw new StatusUnavailableException("status store is not ready: " + e.getMessage());
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null) {
            throw new StatusUnavailableException("status store is rebalancing");
        }
        return metadata;
    }

    private Optional<ImageStatus> local(String id, int partition) {
        return this.<StatusChange>local(StatusTopology.STATUSES, id, partition).map(StatusChange::after);
    }

    private Optional<JobStatus> localJob(String jobId, int partition) {
        return this.<JobChange>local(StatusTopology.JOBS, jobId, partition).map(JobChange::job);
    }

    private <V> Optional<V> local(String storeName, String id, int partition) {
        return lookups.call("looking up " + id, () -> localNow(storeName, id, partition));
    }

    private <V> Optional<V> localNow(String storeName, String id, int partition) {
        try {
            ReadOnlyKeyValueStore<String, V> store = streams.store(
                    StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore())
                            .withPartition(partition));
            return Optional.ofNullable(store.get(id));
        } catch (InvalidStateStoreException e) {
            throw new StatusUnavailableException("status store is restoring or rebalancing: " + e.getMessage());
        }
    }

    private Optional<ImageStatus> remote(HostInfo host, String id) {
        return remote(host, INTERNAL_ROUTE, id).map(StoredStatuses::readAny);
    }

    private Optional<byte[]> remote(HostInfo host, String route, String id) {
        URI uri = URI.create(
                "http://" + host.host() + ":" + host.port() + route + URLEncoder.encode(id, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response;
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(REMOTE_TIMEOUT).GET();
            if (internalSecret != null) {
                request.header(SECRET_HEADER, internalSecret);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StatusUnavailableException("instance " + host + " owning " + id + " cannot be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusUnavailableException("interrupted while asking " + host);
        }
        return switch (response.statusCode()) {
            case 200 -> Optional.of(response.body());
            case 404 -> Optional.empty();
            default -> throw new StatusUnavailableException("instance " + host + " answered " + response.statusCode());
        };
    }

    /**
     * Calls {@code listener} with every status change of any image, as committed by whichever
     * instance owns it, on a feed thread (keep it quick); close the returned handle to stop.
     */
    @Override
    public AutoCloseable subscribe(Consumer<ImageStatus> listener) {
        return feed.subscribe(listener);
    }

    /** As {@link #subscribe}, for every status change of any clip. */
    @Override
    public AutoCloseable subscribeVideos(Consumer<VideoStatus> listener) {
        return videoFeed.subscribe(listener);
    }

    /**
     * Waits until the status app is RUNNING and each store requests ask answers a lookup here as a
     * request would (its stores restored, its partitions assigned and open), so the first request
     * after start-up is answered rather than told to retry. A rebalance right after RUNNING closes
     * the stores again for a moment: the lookup is asked again until it answers.
     *
     * @return false when the stores did not answer within {@code timeout}
     */
    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        try {
            Failsafe.with(new Patience(-1, FIRST_PROBE_DELAY, MAX_PROBE_DELAY, timeout, timeout)
                            .retries()
                            .handle(StatusUnavailableException.class)
                            .abortIf((result, failure) -> Thread.currentThread().isInterrupted())
                            .onRetry(retry -> log.info(
                                    "status store does not answer lookups yet ({}); asking again",
                                    retry.getLastException().getMessage()))
                            .build())
                    .run(this::lookUpEachStore);
            return true;
        } catch (StatusUnavailableException e) {
            log.info("status store not ready after {}: {}", timeout, e.getMessage());
            return false;
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e;
        }
    }

    /** One lookup in each queried store, as a request makes it; throws {@link StatusUnavailableException} until all answer. */
    private void lookUpEachStore() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new StatusUnavailableException("status store is " + state);
        }
        for (String storeName : QUERIED_STORES) {
            KeyQueryMetadata owner = owner(storeName, PROBE_KEY);
            if (owner.activeHost().equals(self)) {
                local(storeName, PROBE_KEY, owner.partition());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Leaves the group on the way out, so the remaining instances take the partitions over at once.
     * With the broker away the leave cannot be sent: the wait is bounded well inside a pod's default
     * 30 s grace period, and the group's session timeout moves the partitions instead.
     */
    @Override
    public void close() {
        feed.close();
        videoFeed.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        deletions.shutdownNow();
        lookups.close();
    }
}
