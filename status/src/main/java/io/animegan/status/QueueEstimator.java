package io.animegan.status;

import io.animegan.status.ImageStatus.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Queue positions and times to completion, from what this instance has seen happen.
 *
 * <p>It keeps the images in flight (not done or failed) by submission time, so its size is the
 * backlog, not the history, and two measurements, both moving averages: each stage's time, from
 * the timings of finished images; and the interval between two completions while the pipeline
 * stayed busy, which is the time one picture costs the whole deployment (it folds in how many
 * stage instances share the work and how much they slow each other down).
 *
 * <p>An image waiting behind {@code n} others is done in about {@code n × interval} plus its own
 * three stages; an image in a later stage, in its remaining stages minus the time already spent.
 * Without a completion interval yet, the sum of the stage times stands in for it (one picture at a
 * time); without any finished image, there is no estimate.
 *
 * <p>Thread-safe; every method is quick.
 */
public final class QueueEstimator {

    /** Weight of a new sample in the moving averages. */
    static final double ALPHA = 0.3;
    /** An image in flight with no news for this long is presumed lost and forgotten. */
    static final Duration FORGET_AFTER = Duration.ofHours(24);
    /** Gaps between completions longer than this are idle time, not work. */
    static final Duration LONGEST_INTERVAL = Duration.ofMinutes(10);

    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, Double> stageMs = new HashMap<>();
    private Double intervalMs;
    private Long lastDoneAtMs;
    private boolean busyAfterLastDone;

    private record InFlight(String id, long submittedAtMs, Stage stage, long stageSinceMs, long seenAtMs) {}

    /** Where an image stands: its place among the waiting images (1 = next; null when not waiting) and seconds left (null: unknown). */
    public record Estimate(Integer position, Double etaSeconds) {
        public static final Estimate NONE = new Estimate(null, null);
    }

    /** Takes in one status change, observed at {@code nowMs}. */
    public synchronized void update(ImageStatus status, long nowMs) {
        Stage stage = status.stage();
        if (stage == Stage.DONE || stage == Stage.FAILED) {
            boolean wasInFlight = inFlight.remove(status.id()) != null;
            if (stage == Stage.DONE) {
                learnStageTimes(status.stageMs());
                if (wasInFlight) {
                    learnInterval(status.completedAtMs() != null ? status.completedAtMs() : nowMs);
                }
            }
        } else {
            InFlight before = inFlight.get(status.id());
            long submitted = status.submittedAtMs() != null
                    ? status.submittedAtMs()
                    : before != null ? before.submittedAtMs() : nowMs;
            long since = before != null && before.stage() == stage ? before.stageSinceMs() : nowMs;
            inFlight.put(status.id(), new InFlight(status.id(), submitted, stage, since, nowMs));
        }
        forgetStale(nowMs);
    }

    private void learnStageTimes(Map<String, Long> timings) {
        for (String stage : Stage.QUEUED.remainingStages()) {
            Long ms = timings.get(stage);
            if (ms != null && ms >= 0) {
                stageMs.merge(stage, ms.doubleValue(), (old, sample) -> old + ALPHA * (sample - old));
            }
        }
    }

    private void learnInterval(long doneAtMs) {
        if (lastDoneAtMs != null && busyAfterLastDone) {
            long gap = doneAtMs - lastDoneAtMs;
            if (gap > 0 && gap <= LONGEST_INTERVAL.toMillis()) {
                intervalMs = intervalMs == null ? gap : intervalMs + ALPHA * (gap - intervalMs);
            }
        }
        lastDoneAtMs = lastDoneAtMs == null ? doneAtMs : Math.max(lastDoneAtMs, doneAtMs);
        busyAfterLastDone = !inFlight.isEmpty();
    }

    private void forgetStale(long nowMs) {
        long cutoff = nowMs - FORGET_AFTER.toMillis();
        inFlight.values().removeIf(f -> f.seenAtMs() < cutoff);
    }

    /** Estimates for every image in flight, by id, as of {@code nowMs}. */
    public synchronized Map<String, Estimate> estimates(long nowMs) {
        List<InFlight> waiting = new ArrayList<>();
        for (InFlight f : inFlight.values()) {
            if (f.stage() == Stage.QUEUED) {
                waiting.add(f);
            }
        }
        waiting.sort(Comparator.comparingLong(InFlight::submittedAtMs).thenComparing(InFlight::id));
        Map<String, Estimate> estimates = new HashMap<>();
        Double perPicture = perPictureMs();
        for (int i = 0; i < waiting.size(); i++) {
            InFlight f = waiting.get(i);
            Double own = remainingMs(f, nowMs);
            Double eta = own == null || perPicture == null ? null : (i * perPicture + own) / 1000.0;
            estimates.put(f.id(), new Estimate(i + 1, eta));
        }
        for (InFlight f : inFlight.values()) {
            if (f.stage() != Stage.QUEUED) {
                Double own = remainingMs(f, nowMs);
                estimates.put(f.id(), new Estimate(null, own == null ? null : own / 1000.0));
            }
        }
        return estimates;
    }

    public Estimate estimate(String imageId, long nowMs) {
        return estimates(nowMs).getOrDefault(imageId, Estimate.NONE);
    }

    /** Measured milliseconds one picture costs the deployment, or null before anything finished. */
    synchronized Double perPictureMs() {
        if (intervalMs != null) {
            return intervalMs;
        }
        return sumOf(Stage.QUEUED.remainingStages());
    }

    /**
     * This image's stages still to run; past the first stage, less the time already spent in the
     * current one (a waiting image may not have started, so nothing is taken off its time).
     */
    private Double remainingMs(InFlight f, long nowMs) {
        Double total = sumOf(f.stage().remainingStages());
        if (total == null || f.stage() == Stage.QUEUED) {
            return total;
        }
        double current = stageMs.getOrDefault(f.stage().remainingStages().get(0), 0.0);
        double spent = Math.min(current, Math.max(0, nowMs - f.stageSinceMs()));
        return total - spent;
    }

    private Double sumOf(List<String> stages) {
        double sum = 0;
        for (String stage : stages) {
            Double ms = stageMs.get(stage);
            if (ms == null) {
                return null;
            }
            sum += ms;
        }
        return sum;
    }

    public synchronized int inFlightCount() {
        return inFlight.size();
    }
}
