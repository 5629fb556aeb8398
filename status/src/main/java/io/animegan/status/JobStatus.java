package io.animegan.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job as the status app folds it from {@code JobProgress} events: every picture's outcome so
 * far. Immutable; folding the same event twice changes nothing, so a replay cannot count twice.
 *
 * @param id job id
 * @param total pictures the job holds (from the submission events' job size)
 * @param images image id to "pending", "done" or "failed", in submission order
 * @param submittedAtMs when the job's first picture was submitted
 * @param lastFinishedAtMs when its latest picture finished (null before any)
 * @param announced true once the job's JobCompleted event is written
 * @param tenant the tenant that submitted the job; null for a job folded before tenants existed (anonymous's)
 */
public record JobStatus(
        String id,
        int total,
        Map<String, String> images,
        Long submittedAtMs,
        Long lastFinishedAtMs,
        boolean announced,
        String tenant) {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public JobStatus {
        images = images == null ? Map.of() : new LinkedHashMap<>(images);
    }

    public JobStatus(
            String id,
            int total,
            Map<String, String> images,
            Long submittedAtMs,
            Long lastFinishedAtMs,
            boolean announced) {
        this(id, total, images, submittedAtMs, lastFinishedAtMs, announced, null);
    }

    public static JobStatus empty(String id) {
        return new JobStatus(id, 0, Map.of(), null, null, false);
    }

    /** The job, owned by {@code owner} unless it already has a tenant (its first submission names it). */
    public JobStatus ownedBy(String owner) {
        return tenant != null || owner == null
                ? this
                : new JobStatus(id, total, images, submittedAtMs, lastFinishedAtMs, announced, owner);
    }

    /** Whether the tenant {@code who} (its id) may see this job. */
    public boolean belongsTo(String who) {
        return who.equals(tenant != null ? tenant : ImageStatus.ANONYMOUS_TENANT);
    }

    /** The job with one picture submitted or finished; a finish never goes back to pending, and the first finish wins. */
    public JobStatus with(String imageId, String outcome, int jobSize, long atMs) {
        Map<String, String> next = new LinkedHashMap<>(images);
        String before = next.get(imageId);
        boolean finished = before != null && !before.equals(PENDING);
        if (!finished) {
            next.put(imageId, outcome);
        }
        boolean newFinish = !finished && !outcome.equals(PENDING);
        return new JobStatus(
                id,
                Math.max(total, jobSize),
                next,
                submittedAtMs == null || (outcome.equals(PENDING) && atMs < submittedAtMs)
                        ? Long.valueOf(atMs)
                        : submittedAtMs,
                newFinish
                        ? Long.valueOf(Math.max(atMs, lastFinishedAtMs == null ? 0 : lastFinishedAtMs))
                        : lastFinishedAtMs,
                announced,
                tenant);
    }

    public JobStatus announcedNow() {
        return new JobStatus(id, total, images, submittedAtMs, lastFinishedAtMs, true, tenant);
    }

    public int done() {
        return count(DONE);
    }

    public int failed() {
        return count(FAILED);
    }

    public int pending() {
        return Math.max(0, Math.max(total, images.size()) - done() - failed());
    }

    public boolean isFinished() {
        return total > 0 && pending() == 0;
    }

    public List<String> imageIds() {
        return new ArrayList<>(images.keySet());
    }

    public List<String> imageIds(String outcome) {
        return images.entrySet().stream()
                .filter(e -> e.getValue().equals(outcome))
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Seconds until every picture is finished at the pace so far (pictures finished per second since
     * the first submission), 0 when finished, null before the first picture finishes.
     */
    public Long etaSeconds() {
        int finished = done() + failed();
        if (pending() == 0) {
            return 0L;
        }
        if (finished == 0 || submittedAtMs == null || lastFinishedAtMs == null) {
            return null;
        }
        double msPerPicture = Math.max(1, lastFinishedAtMs - submittedAtMs) / (double) finished;
        return Math.round(msPerPicture * pending() / 1000.0);
    }

    private int count(String outcome) {
        return (int) images.values().stream().filter(outcome::equals).count();
    }
}
