package io.animegan.status;

import static io.animegan.status.TestEvents.SUBMITTED_AT;
import static io.animegan.status.TestEvents.completed;
import static io.animegan.status.TestEvents.failed;
import static io.animegan.status.TestEvents.ref;
import static io.animegan.status.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobProgress;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** What the steps downstream of the statuses table read from one change: job progress, usage, finality. */
class StatusChangeTest {

    private static StatusChange fold(StatusChange stored, Object event, long atMs) {
        ImageStatus before = stored == null ? null : stored.after();
        ImageStatus after = StatusFold.apply(before != null ? before : ImageStatus.unknown("a"), event, atMs);
        return new StatusChange(before, after.updatedAt(atMs), event);
    }

    private static ImageSubmitted inJob(String jobId, int size) {
        ImageSubmitted event = submitted("a", "a.jpg", "acme", 500);
        event.setJobId(jobId);
        event.setJobSize(size);
        return event;
    }

    private static List<String> outcomes(StatusChange change) {
        return change.jobProgress().stream().map(kv -> kv.value.getOutcome()).toList();
    }

    @Test
    void aSubmissionInAJobAddsThePictureAsPendingWithTheJobSizeAndTenant() {
        StatusChange change = fold(null, inJob("job-1", 3), SUBMITTED_AT);
        List<KeyValue<String, JobProgress>> progress = change.jobProgress();
        assertThat(progress).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("job-1");
            assertThat(kv.value.getImageId()).isEqualTo("a");
            assertThat(kv.value.getJobSize()).isEqualTo(3);
            assertThat(kv.value.getOutcome()).isEqualTo(JobStatus.PENDING);
            assertThat(kv.value.getTenant()).isEqualTo("acme");
        });
        assertThat(change.newlyOwned()).isTrue();
        assertThat(change.becameFinal()).isFalse();

        StatusChange done =
                fold(change, completed("a", ref("results/a/anime.png"), "image/png", 0, 8, 8), SUBMITTED_AT + 9);
        assertThat(outcomes(done)).containsExactly(JobStatus.DONE);
        assertThat(done.becameFinal()).isTrue();
        assertThat(done.newlyOwned()).as("counted once, at the submission").isFalse();
    }

    @Test
    void aFinalEventFoldedBeforeTheSubmissionFinishesThePictureWhenTheSubmissionComes() {
        StatusChange early = fold(null, failed("a", "face", "CORRUPT_IMAGE", "truncated"), SUBMITTED_AT + 5);
        assertThat(early.jobProgress()).as("no job is known yet").isEmpty();
        StatusChange submitted = fold(early, inJob("job-2", 1), SUBMITTED_AT);
        assertThat(outcomes(submitted)).containsExactly(JobStatus.PENDING, JobStatus.FAILED);
        assertThat(submitted.jobProgress().get(1).value.getAtMs()).isEqualTo(SUBMITTED_AT + 5);
    }

    @Test
    void aStoredValueIsNoChangeAndMeansNothingDownstream() {
        ImageStatus done = fold(
                        fold(null, inJob("job-3", 1), SUBMITTED_AT),
                        completed("a", ref("results/a/anime.png"), "image/png", 0, 8, 8),
                        SUBMITTED_AT)
                .after();
        StatusChange stored = StatusChange.stored(done);
        assertThat(stored.changed()).isFalse();
        assertThat(stored.becameFinal()).isFalse();
        assertThat(stored.newlyOwned()).isFalse();
        assertThat(stored.jobProgress()).isEmpty();
    }

    @Test
    void aPictureOfNoJobMakesNoJobProgress() {
        StatusChange submitted = fold(null, submitted("a", "a.jpg"), SUBMITTED_AT);
        assertThat(submitted.jobProgress()).isEmpty();
        assertThat(fold(submitted, failed("a", "face", "CORRUPT_IMAGE", "x"), SUBMITTED_AT)
                        .jobProgress())
                .isEmpty();
    }
}
