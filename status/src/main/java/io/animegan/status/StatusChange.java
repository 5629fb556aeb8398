package io.animegan.status;

import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobProgress;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;

/**
 * The statuses KTable's aggregate: an image's status after one event, with the status before it
 * and the event, so the steps downstream of the table see what changed. Only {@code after} is
 * stored (see {@link #serde()}); a value read back from the store is {@link #stored} and is no change.
 *
 * @param before the status before the event, null for a new image
 * @param event the event folded in, null for a stored value
 */
record StatusChange(ImageStatus before, ImageStatus after, Object event) {

    static StatusChange stored(ImageStatus status) {
        return new StatusChange(status, status, null);
    }

    boolean changed() {
        return !after.equals(before);
    }

    boolean becameFinal() {
        return after.phase().isFinal() && (before == null || !before.phase().isFinal());
    }

    /** The first fold of the picture's submission: from now on its bytes count against its tenant. */
    boolean newlyOwned() {
        return after.tenant() != null && after.sizeBytes() != null && (before == null || before.tenant() == null);
    }

    /**
     * What the change means for the picture's job, keyed by job id: a submission naming a job adds
     * the picture as pending (and, when a final event was folded before it, finishes it at once); a
     * status that becomes final finishes the picture in its job.
     */
    List<KeyValue<String, JobProgress>> jobProgress() {
        String jobId = after.jobId();
        List<KeyValue<String, JobProgress>> progress = new ArrayList<>(2);
        if (jobId == null) {
            return progress;
        }
        if (event instanceof ImageSubmitted e && e.getJobId() != null) {
            progress.add(
                    progress(e.getJobSize(), JobStatus.PENDING, e.getTrace().getSubmittedAtMs(), e.getTenant()));
            if (after.phase().isFinal()) {
                progress.add(progress(e.getJobSize(), outcome(), after.completedAtMs(), null));
            }
        } else if (becameFinal()) {
            progress.add(progress(0, outcome(), after.completedAtMs(), null));
        }
        return progress;
    }

    /** @param tenant the job's tenant on a submission, null on a finish (the job knows it by then) */
    private KeyValue<String, JobProgress> progress(int jobSize, String outcome, long atMs, String tenant) {
        return KeyValue.pair(
                after.jobId(), new JobProgress(after.jobId(), after.id(), jobSize, outcome, atMs, tenant, false));
    }

    private String outcome() {
        return after.phase() == ImageStatus.Phase.DONE ? JobStatus.DONE : JobStatus.FAILED;
    }

    /** Stores {@code after} as the Avro record; reads either stored form ({@link StoredStatuses#readAny}). */
    static Serde<StatusChange> serde() {
        return Serdes.serdeFrom(
                (topic, change) -> change == null ? null : StoredStatuses.write(change.after()),
                (topic, bytes) -> bytes == null ? null : stored(StoredStatuses.readAny(bytes)));
    }
}
