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
 * <p>The one interface ingest is meant to use (docs/status-module-plan.md); {@link StatusService}
 * implements it. Ingest still reaches the service itself for the internal routes' "owned"
 * queries, which move behind this module next.
 */
public interface StatusStore extends AutoCloseable {

  /** The image's status; empty when no instance knows the id. */
  Optional<ImageStatus> find(String imageId);

  /** The job's progress; empty when no instance knows the job. */
  Optional<JobStatus> job(String jobId);

  /** Bytes of originals the tenant keeps stored. */
  long storedBytes(String tenant);

  /** Calls {@code listener} with every status change of any image until the handle is closed; keep it quick. */
  AutoCloseable subscribe(Consumer<ImageStatus> listener);

  /** Waits until the stores are restored and their partitions assigned. */
  boolean awaitRunning(Duration timeout) throws InterruptedException;

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

    /** The stored job as the internal route answers it. */
    Optional<byte[]> job(String jobId);

    /** The tenant's stored bytes as summed here. */
    long storedBytes(String tenant);
  }
}
