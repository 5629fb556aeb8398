package io.animegan.status;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One job as the status app folds it from {@code JobProgress} events: the outcome so far of every
 * item, picture or clip. Immutable; folding the same event twice changes nothing, so a replay
 * cannot count twice.
 *
 * @param id job id
 * @param total items the job holds, pictures and clips (from the submission events' job size)
 * @param images item id (an image's or a clip's) to "pending", "done" or "failed", in submission order
 * @param submittedAtMs when the job's first picture was submitted
 * @param lastFinishedAtMs when its latest picture finished (null before any)
 * @param announced true once the job's JobCompleted event is written
 * @param tenant the tenant that submitted the job; null for a job folded before tenants existed (anonymous's)
 * @param videos the ids among {@code images} that are clips
 */
public record JobStatus(
        String id,
        int total,
        Map<String, String> images,
        Long submittedAtMs,
        Long lastFinishedAtMs,
        boolean announced,
        String tenant,
        Set<String> videos) {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public JobStatus {
        images = images == null ? Map.of() : new LinkedHashMap<>(images);
        videos = videos == null ? Set.of() : new LinkedHashSet<>(videos);
    }

    public JobStatus(
            String id,
            int total,
            Map<String, String> images,
            Long submittedAtMs,
            Long lastFinishedAtMs,
            boolean announced,
            String tenant) {
        this(id, total, images, submittedAtMs, lastFinishedAtMs, announced, tenant, Set.of());
    }

    public JobStatus(
            String id,
            int total,
            Map<String, String> images,
            Long submittedAtMs,
            Long lastFinishedAtMs,
            boolean announced) {
        this(id, total, images, submittedAtMs, lastFinishedAtMs, announced, null, Set.of());
    }

    public static JobStatus empty(String id) {
        return new JobStatus(id, 0, Map.of(), null, null, false);
    }

    /** The job, owned by {@code owner} unless it already has a tenant (its first submission names it). */
    public JobStatus ownedBy(String owner) {
        return tenant != null || owner == null
                ? this
                : new JobStatus(id, total, images, submittedAtMs, lastFinishedAtMs, announced, owner, videos);
    }

    /** Whether the tenant {@code who} (its id) may see this job. */
    public boolean belongsTo(String who) {
        return who.equals(tenant != null ? tenant : ImageStatus.ANONYMOUS_TENANT);
    }

    /** The job with one picture submitted or finished; a finish never goes back to pending, and the first finish wins. */
    public JobStatus with(String imageId, String outcome, int jobSize, long atMs) {
        return with(imageId, false, outcome, jobSize, atMs);
    }

    /** The job with one item, a picture or a clip ({@code video}), submitted or finished, as {@link #with(String, String, int, long)}. */
    public JobStatus with(String itemId, boolean video, String outcome, int jobSize, long atMs) {
        Set<String> clips = videos;
        if (video && !videos.contains(itemId)) {
            clips = new LinkedHashSet<>(videos);
            clips.add(itemId);
        }
        Map<String, String> next = new LinkedHashMap<>(images);
        String before = next.get(itemId);
        boolean finished = before != null && !before.equals(PENDING);
        if (!finished) {
            next.put(itemId, outcome);
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
                tenant,
                clips);
    }

    public JobStatus announcedNow() {
        return new JobStatus(id, total, images, submittedAtMs, lastFinishedAtMs, true, tenant, videos);
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

    /** The job's pictures, in submission order. */
    public List<String> imageIds() {
        return images.keySet().stream().filter(id -> !videos.contains(id)).toList();
    }

    /** The job's pictures with this outcome. */
    public List<String> imageIds(String outcome) {
        return itemIds(outcome).stream().filter(id -> !videos.contains(id)).toList();
    }

    /** The job's clips, in submission order. */
    public List<String> videoIds() {
        return images.keySet().stream().filter(videos::contains).toList();
    }

    /** The job's clips with this outcome. */
    public List<String> videoIds(String outcome) {
        return itemIds(outcome).stream().filter(videos::contains).toList();
    }

    private List<String> itemIds(String outcome) {
        return images.entrySet().stream()
                .filter(e -> e.getValue().equals(outcome))
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Seconds until every item is finished at the pace so far (items finished per second since
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
