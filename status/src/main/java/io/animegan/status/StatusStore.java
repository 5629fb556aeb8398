package io.animegan.status;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The status and job read model as any ingest instance sees it: answers for any id, from this
 * instance's stores or from the instance that owns it. The queries throw
 * {@link StatusUnavailableException} while the stores are starting, restoring or rebalancing, or
 * the owner cannot be reached: the answer would be a guess, so the caller should retry.
 *
 * <p>The one interface ingest uses; {@link StatusService} implements it, and {@link #owned()} is
 * what ingest's internal routes answer other instances with.
 */
public interface StatusStore extends AutoCloseable {

    /** Internal route another instance asks for a status this one owns; answers the stored form ({@link StoredStatuses}). */
    String INTERNAL_ROUTE = "/internal/status/";
    /** Internal route another instance asks for a job this one owns; answers the stored form ({@link StoredJobs}). */
    String INTERNAL_JOB_ROUTE = "/internal/jobs/";
    /** Internal route another instance asks for a tenant's stored bytes this one sums; answers the number. */
    String INTERNAL_USAGE_ROUTE = "/internal/usage/";
    /** Internal route another instance asks for a clip's status this one owns; answers the stored form. */
    String INTERNAL_VIDEO_ROUTE = "/internal/videos/";
    /** Header carrying the shared internal secret, when one is configured. */
    String SECRET_HEADER = "X-Animegan-Internal-Secret";

    /** The image's status; empty when no instance knows the id. */
    Optional<ImageStatus> find(String imageId);

    /** The clip's status; empty when no instance knows the id. */
    Optional<VideoStatus> findVideo(String videoId);

    /** The job's progress; empty when no instance knows the job. */
    Optional<JobStatus> job(String jobId);

    /** Bytes of originals the tenant keeps stored. */
    long storedBytes(String tenant);

    /** Calls {@code listener} with every status change of any image until the handle is closed; keep it quick. */
    AutoCloseable subscribe(Consumer<ImageStatus> listener);

    /** Calls {@code listener} with every status change of any clip until the handle is closed; keep it quick. */
    AutoCloseable subscribeVideos(Consumer<VideoStatus> listener);

    /** Waits until the stores are restored, their partitions assigned and a first lookup in each answers. */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    boolean isRunning();

    /** What this instance answers on the internal routes, for the ids it owns (never asking another instance). */
    Owned owned();

    @Override
    void close();

    /**
     * The internal routes' queries: only for ids, jobs and tenants this instance owns (else
     * {@link StatusUnavailableException}), so a request never bounces between instances.
     */
    interface Owned {

        /** The stored status as the internal route answers it. */
        Optional<byte[]> status(String imageId);

        /** The clip's stored status as the internal route answers it. */
        Optional<byte[]> video(String videoId);

        /** The stored job as the internal route answers it. */
        Optional<byte[]> job(String jobId);

        /** The tenant's stored bytes as summed here. */
        long storedBytes(String tenant);
    }
}
