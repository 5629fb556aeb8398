package io.animegan.status;

import io.animegan.events.JobCompleted;
import io.animegan.events.JobProgress;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The jobs KTable's aggregate: a job after one progress event, and whether that event finished it
 * (its {@link JobCompleted} is then written once). Only the job is stored (see {@link #serde()}).
 */
record JobChange(JobStatus job, boolean completed) {

    /** Folds one item's progress (a picture's or a clip's) into its job; the first time every item is finished, the job is announced. */
    static JobChange fold(String jobId, JobProgress progress, JobChange before) {
        JobStatus after = (before != null ? before.job() : JobStatus.empty(jobId))
                .with(
                        progress.getImageId(),
                        progress.getVideo(),
                        progress.getOutcome(),
                        progress.getJobSize(),
                        progress.getAtMs())
                .ownedBy(progress.getTenant());
        boolean completes = after.isFinished() && !after.announced();
        return new JobChange(completes ? after.announcedNow() : after, completes);
    }

    JobCompleted announcement() {
        return new JobCompleted(
                job.id(),
                job.total(),
                job.done(),
                job.failed(),
                job.imageIds(),
                job.submittedAtMs() == null ? 0L : job.submittedAtMs(),
                job.lastFinishedAtMs() == null ? 0L : job.lastFinishedAtMs(),
                job.videoIds());
    }

    /** Stores the job as the Avro record; reads either stored form ({@link StoredJobs#readAny}). */
    static Serde<JobChange> serde() {
        return Serdes.serdeFrom(
                (topic, change) -> change == null ? null : StoredJobs.write(change.job()),
                (topic, bytes) -> bytes == null ? null : new JobChange(StoredJobs.readAny(bytes), false));
    }
}
