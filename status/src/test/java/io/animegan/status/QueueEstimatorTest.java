package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.QueueEstimator.Estimate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueEstimatorTest {

    static final Map<String, Long> TIMES = Map.of("ingest", 5L, "face", 1000L, "stylize", 4000L, "blend", 1000L);

    final QueueEstimator estimator = new QueueEstimator();

    static ImageStatus status(
            String id, Phase phase, int rank, long submittedAt, Long completedAt, Map<String, Long> times) {
        return ImageStatus.builder(id)
                .name(id + ".jpg")
                .phase(phase)
                .detailRank(rank)
                .error(phase == Phase.FAILED ? "face: CORRUPT_IMAGE: x" : null)
                .stageMs(times)
                .submittedAtMs(submittedAt)
                .completedAtMs(completedAt)
                .build();
    }

    static ImageStatus queued(String id, long submittedAt) {
        return status(id, Phase.QUEUED, 0, submittedAt, null, Map.of("ingest", 5L));
    }

    static ImageStatus done(String id, long submittedAt, long completedAt) {
        return status(id, Phase.DONE, 3, submittedAt, completedAt, TIMES);
    }

    @Test
    void waitingImagesAreRankedBySubmissionButHaveNoEstimateBeforeAnythingFinished() {
        estimator.update(queued("b", 2_000), 2_000);
        estimator.update(queued("a", 1_000), 2_000);
        estimator.update(queued("c", 3_000), 3_000);

        Map<String, Estimate> estimates = estimator.estimates(3_000);
        assertThat(estimates.get("a")).isEqualTo(new Estimate(1, null));
        assertThat(estimates.get("b")).isEqualTo(new Estimate(2, null));
        assertThat(estimates.get("c")).isEqualTo(new Estimate(3, null));
    }

    @Test
    void stageTimesOfAFinishedImageGiveEstimatesOnePictureAtATime() {
        estimator.update(queued("x", 0), 0);
        estimator.update(done("x", 0, 6_000), 6_000);
        estimator.update(queued("a", 7_000), 7_000);
        estimator.update(queued("b", 8_000), 8_000);

        Map<String, Estimate> estimates = estimator.estimates(8_000);
        assertThat(estimates.get("a").etaSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(estimates.get("b").position()).isEqualTo(2);
        assertThat(estimates.get("b").etaSeconds())
                .as("one picture ahead of it, then its own")
                .isCloseTo(12.0, within(1e-9));
        assertThat(estimator.inFlightCount()).isEqualTo(2);
    }

    @Test
    void theIntervalBetweenCompletionsWhileBusyIsWhatAPictureCostsTheDeployment() {
        estimator.update(queued("x", 0), 0);
        estimator.update(queued("y", 0), 0);
        estimator.update(queued("a", 100), 100);
        estimator.update(queued("b", 100), 100);
        estimator.update(done("x", 0, 6_000), 6_000);
        estimator.update(done("y", 0, 9_000), 9_000); // busy since x finished: 3 s per picture (two workers)

        assertThat(estimator.perPictureMs()).isEqualTo(3_000.0);
        Map<String, Estimate> estimates = estimator.estimates(9_000);
        assertThat(estimates.get("a").etaSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(estimates.get("b").etaSeconds()).isCloseTo(9.0, within(1e-9));
    }

    @Test
    void anIdlePipelineBetweenCompletionsTeachesNoInterval() {
        estimator.update(queued("x", 0), 0);
        estimator.update(done("x", 0, 6_000), 6_000);
        estimator.update(queued("y", 60_000), 60_000);
        estimator.update(done("y", 60_000, 66_000), 66_000);

        assertThat(estimator.perPictureMs()).as("the sum of the stage times").isEqualTo(6_000.0);
    }

    @Test
    void anImagePastTheFirstStageHasItsRemainingStagesLeftLessTheTimeSpent() {
        estimator.update(queued("x", 0), 0);
        estimator.update(done("x", 0, 6_000), 6_000);
        estimator.update(status("a", Phase.PROCESSING, 1, 7_000, null, Map.of("face", 900L)), 10_000);

        Estimate a = estimator.estimate("a", 11_000);
        assertThat(a.position()).as("not waiting any more").isNull();
        assertThat(a.etaSeconds())
                .as("stylize 4 s + blend 1 s, 1 s of stylize spent")
                .isCloseTo(4.0, within(1e-9));
        assertThat(estimator.estimate("a", 60_000).etaSeconds())
                .as("never below the stages after this one")
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void finishedAndFailedImagesLeaveTheQueueAndTheOthersMoveUp() {
        estimator.update(queued("a", 1_000), 1_000);
        estimator.update(queued("b", 2_000), 2_000);
        estimator.update(queued("c", 3_000), 3_000);
        estimator.update(status("a", Phase.FAILED, 0, 1_000, 4_000L, Map.of()), 4_000);

        assertThat(estimator.estimate("a", 4_000)).isEqualTo(Estimate.NONE);
        assertThat(estimator.estimate("b", 4_000).position()).isEqualTo(1);
        assertThat(estimator.estimate("c", 4_000).position()).isEqualTo(2);
        assertThat(estimator.inFlightCount()).isEqualTo(2);
    }

    @Test
    void imagesInFlightForADayAreForgotten() {
        estimator.update(queued("lost", 0), 0);
        estimator.update(
                queued("fresh", QueueEstimator.FORGET_AFTER.toMillis()), QueueEstimator.FORGET_AFTER.toMillis() + 1);

        assertThat(estimator.inFlightCount()).isEqualTo(1);
        assertThat(estimator
                        .estimate("fresh", QueueEstimator.FORGET_AFTER.toMillis())
                        .position())
                .isEqualTo(1);
    }
}
