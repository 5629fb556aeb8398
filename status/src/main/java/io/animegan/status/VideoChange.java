package io.animegan.status;

import io.animegan.events.JobProgress;
import io.animegan.events.VideoSubmitted;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;

/**
 * The videos KTable's aggregate: a clip's status after one event, with the status before it, so
 * the steps downstream see what changed. Only {@code after} is stored (see {@link #serde()}); a
 * value read back from the store is {@link #stored} and is no change.
 *
 * @param before the status before the event, null for a new clip
 * @param event the event folded in, null for a stored value
 */
record VideoChange(VideoStatus before, VideoStatus after, Object event) {

    static VideoChange stored(VideoStatus status) {
        return new VideoChange(status, status, null);
    }

    boolean changed() {
        return !after.equals(before);
    }

    boolean becameFinal() {
        return after.phase().isFinal() && (before == null || !before.phase().isFinal());
    }

    /**
     * Bytes this change adds to the clip's tenant's stored bytes: the original on the first fold of
     * the submission, the result when the clip becomes done (whichever is folded first, the other
     * adds its part when it comes).
     */
    long addedBytes() {
        if (after.owner() == null) {
            return 0;
        }
        VideoStatus was = before == null || before.owner() == null ? null : before;
        return after.storedBytes() - (was == null ? 0 : was.storedBytes());
    }

    /**
     * What the change means for the clip's job, keyed by job id, as {@link StatusChange#jobProgress}
     * for a picture: its submission adds the clip as pending (and finishes it at once when a final
     * event was folded before it); a status that becomes final finishes the clip in its job.
     */
    List<KeyValue<String, JobProgress>> jobProgress() {
        String jobId = after.jobId();
        List<KeyValue<String, JobProgress>> progress = new ArrayList<>(2);
        if (jobId == null) {
            return progress;
        }
        if (event instanceof VideoSubmitted e && e.getJobId() != null) {
            progress.add(
                    progress(e.getJobSize(), JobStatus.PENDING, e.getTrace().getSubmittedAtMs(), e.getTenant()));
            if (after.phase().isFinal()) {
                progress.add(progress(e.getJobSize(), outcome(), finishedAtMs(), null));
            }
        } else if (becameFinal()) {
            progress.add(progress(0, outcome(), finishedAtMs(), null));
        }
        return progress;
    }

    /** @param tenant the job's tenant on a submission, null on a finish (the job knows it by then) */
    private KeyValue<String, JobProgress> progress(int jobSize, String outcome, long atMs, String tenant) {
        return KeyValue.pair(
                after.jobId(), new JobProgress(after.jobId(), after.id(), jobSize, outcome, atMs, tenant, true));
    }

    private long finishedAtMs() {
        Long at = after.completedAtMs();
        return at != null ? at : after.updatedAtMs() != null ? after.updatedAtMs() : 0L;
    }

    private String outcome() {
        return after.phase() == ImageStatus.Phase.DONE ? JobStatus.DONE : JobStatus.FAILED;
    }

    /** Stores {@code after} as the Avro record. */
    static Serde<VideoChange> serde() {
        return Serdes.serdeFrom(
                (topic, change) -> change == null ? null : change.after().write(),
                (topic, bytes) -> bytes == null ? null : stored(VideoStatus.read(bytes)));
    }
}
