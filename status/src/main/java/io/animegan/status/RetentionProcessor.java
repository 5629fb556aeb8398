package io.animegan.status;

import io.animegan.common.storage.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the status app stores bounded, on one wall-clock punctuator, and counts tenants'
 * stored bytes. Downstream of the statuses table it sees every change of a status:
 * <ul>
 *   <li>it indexes the status by its last update in {@link StatusTopology#BY_UPDATE} (key
 *       {@code <19-digit ms>/<id>}, which sorts by time), so retention reads only the expired head of
 *       the index, in bounded chunks;
 *   <li>a picture that became done or failed waits in {@link StatusTopology#WORK_CLEANUP} (changelogged,
 *       so none is forgotten over a restart) until its intermediate blobs ({@code work/<id>/}) are deleted;
 *       a face analysis it made for its face group is not among them (the group's other styles may
 *       still read it) and goes with its other blobs at expiry;
 *   <li>the first fold of a submission adds the original's bytes to its tenant's (forwarded, keyed by tenant).
 * </ul>
 * Each punctuation deletes a chunk of intermediates and, every retention scan, expires statuses
 * and announced jobs last changed longer ago than the retention. Blobs (a picture's, a job's
 * record) are deleted first, in the background ({@link BackgroundDeletions}); the status or job is
 * deleted at a later punctuation, once they are gone, and an expired picture's bytes are
 * subtracted from its tenant's. While storage is down everything stays and is tried again.
 */
final class RetentionProcessor implements Processor<String, StatusChange, String, Long> {

    private static final Logger log = LoggerFactory.getLogger(RetentionProcessor.class);
    /** Most expired statuses one scan hands over per partition. */
    static final int CHUNK = 500;
    /** Most finished pictures one round hands over per partition for their intermediates. */
    static final int CLEANUP_CHUNK = 200;

    private final StatusSettings settings;
    private final BackgroundDeletions pictures;
    private final BackgroundDeletions jobRecords;
    private final BackgroundDeletions intermediates;
    private ProcessorContext<String, Long> context;
    private TimestampedKeyValueStore<String, StatusChange> statuses;
    private TimestampedKeyValueStore<String, JobChange> jobs;
    private KeyValueStore<String, String> byUpdate;
    private KeyValueStore<String, Long> workCleanup;
    private long lastScanMs;

    RetentionProcessor(StatusSettings settings, PrefixDeleter blobs, Executor executor) {
        this.settings = settings;
        this.pictures = new BackgroundDeletions("retention", blobs, executor);
        this.jobRecords = new BackgroundDeletions("job retention", blobs, executor);
        this.intermediates = new BackgroundDeletions("work cleanup", blobs, executor);
    }

    @Override
    public void init(ProcessorContext<String, Long> context) {
        this.context = context;
        statuses = context.getStateStore(StatusTopology.STATUSES);
        jobs = context.getStateStore(StatusTopology.JOBS);
        byUpdate = context.getStateStore(StatusTopology.BY_UPDATE);
        workCleanup = context.getStateStore(StatusTopology.WORK_CLEANUP);
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, StatusChange> record) {
        StatusChange change = record.value();
        if (!change.changed()) {
            return;
        }
        String id = record.key();
        if (change.before() != null && change.before().updatedAtMs() != null) {
            byUpdate.delete(indexKey(change.before().updatedAtMs(), id));
        }
        byUpdate.put(indexKey(change.after().updatedAtMs(), id), id);
        if (change.becameFinal()) {
            workCleanup.put(id, context.currentSystemTimeMs());
        }
        if (change.newlyOwned()) {
            context.forward(new Record<>(change.after().tenant(), change.after().sizeBytes(), record.timestamp()));
        }
    }

    static String indexKey(long updatedAtMs, String id) {
        return String.format("%019d/%s", Math.max(0, updatedAtMs), id);
    }

    private void punctuate(long nowMs) {
        cleanWork();
        if (nowMs - lastScanMs >= settings.retentionScan().toMillis()) {
            lastScanMs = nowMs;
            long cutoff = nowMs - settings.retention().toMillis();
            expirePictures(cutoff, nowMs);
            expireJobs(cutoff);
        }
    }

    private void cleanWork() {
        int submitted = 0;
        try (KeyValueIterator<String, Long> it = workCleanup.all()) {
            while (it.hasNext() && submitted < CLEANUP_CHUNK) {
                String id = it.next().key;
                if (!intermediates.submit(id, List.of(Keys.workPrefix(id)))) {
                    break;
                }
                submitted++;
            }
        }
        intermediates.drainDeleted().forEach(workCleanup::delete);
    }

    private void expirePictures(long cutoff, long nowMs) {
        int submitted = 0;
        List<String> orphans = new ArrayList<>();
        try (KeyValueIterator<String, String> it = byUpdate.range(null, indexKey(cutoff, ""))) {
            while (it.hasNext() && submitted < CHUNK) {
                KeyValue<String, String> entry = it.next();
                if (status(entry.value) == null) {
                    orphans.add(entry.key); // its status is gone already
                } else if (pictures.submit(entry.value, blobPrefixes(entry.value))) {
                    submitted++;
                } else {
                    break;
                }
            }
        }
        orphans.forEach(byUpdate::delete);
        List<String> gone = pictures.drainDeleted();
        gone.forEach(id -> forget(id, cutoff, nowMs));
        if (!gone.isEmpty()) {
            log.info(
                    "retention: deleted {} statuses and their blobs, last updated over {} ago",
                    gone.size(),
                    settings.retention());
        }
    }

    /** The picture's blobs, and the face analysis it made for its face group, if any. */
    private static List<String> blobPrefixes(String id) {
        List<String> prefixes = new ArrayList<>(Keys.imagePrefixes(id));
        prefixes.add(Keys.faceAnalysisPrefix(id));
        return prefixes;
    }

    /** Deletes the status whose blobs are gone, unless it changed after they were queued for deletion. */
    private void forget(String id, long cutoff, long nowMs) {
        ImageStatus status = status(id);
        if (status != null && status.updatedAtMs() != null) {
            if (status.updatedAtMs() >= cutoff) {
                return;
            }
            byUpdate.delete(indexKey(status.updatedAtMs(), id));
        }
        statuses.delete(id);
        if (status != null && status.tenant() != null && status.sizeBytes() != null) {
            context.forward(new Record<>(status.tenant(), -status.sizeBytes(), nowMs));
        }
    }

    private ImageStatus status(String id) {
        StatusChange stored = ValueAndTimestamp.getValueOrNull(statuses.get(id));
        return stored == null ? null : stored.after();
    }

    /** Announced jobs whose last picture finished before the cutoff: first ingest's job record, then the job. */
    private void expireJobs(long cutoff) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<JobChange>> it = jobs.all()) {
            it.forEachRemaining(entry -> {
                JobStatus job = entry.value.value().job();
                if (job.announced() && job.lastFinishedAtMs() != null && job.lastFinishedAtMs() < cutoff) {
                    expired.add(entry.key);
                }
            });
        }
        for (String jobId : expired) {
            // A job folded from events no ingest wrote has no record and an id of no shape: nothing to delete.
            List<String> prefixes = JobRecord.isJobId(jobId) ? List.of(JobRecord.prefix(jobId)) : List.of();
            if (!jobRecords.submit(jobId, prefixes)) {
                break; // the deletion queue is full: the rest waits for the next scan
            }
        }
        jobRecords.drainDeleted().forEach(jobs::delete);
    }
}
