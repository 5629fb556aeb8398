package io.animegan.status;

import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.events.BlobRef;
import java.util.Optional;
import java.util.function.Function;

/**
 * Jobs as one tenant may see them. Another tenant's job reads as an unknown one (both make the
 * same storage call). A job the status app has not folded, or folded only in part, is completed
 * from the {@link JobRecord} stored before the job was answered: a job id once answered is never
 * unknown.
 */
public final class TenantJobs {

    /** A record lists at most a job's ids (a few KiB); a bigger object is not one the service wrote. */
    private static final long MAX_RECORD_BYTES = 1024 * 1024;

    private final BlobStore store;

    public TenantJobs(BlobStore store) {
        this.store = store;
    }

    /**
     * The job if {@code tenant} (its id) may see it.
     *
     * @param stored the status store's lookup (it may throw {@code StatusUnavailableException})
     */
    public Optional<JobStatus> find(String id, String tenant, Function<String, Optional<JobStatus>> stored) {
        Optional<JobStatus> folded = stored.apply(id);
        if (folded.isPresent()
                && folded.get().belongsTo(tenant)
                && folded.get().images().size() >= folded.get().total()) {
            return folded;
        }
        Optional<JobRecord> record = record(id);
        return folded.isPresent()
                ? folded.filter(f -> f.belongsTo(tenant))
                        .map(f -> record.map(r -> r.addTo(f)).orElse(f))
                : record.filter(r -> r.belongsTo(tenant)).map(r -> r.asQueued(id));
    }

    /** The job's record, if one was stored; an id the service never makes names none, without a storage call. */
    private Optional<JobRecord> record(String jobId) {
        if (!JobRecord.isJobId(jobId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    JobRecord.fromJson(store.get(new BlobRef(store.bucket(), JobRecord.key(jobId)), MAX_RECORD_BYTES)));
        } catch (BlobNotFoundException e) {
            return Optional.empty();
        }
    }
}
