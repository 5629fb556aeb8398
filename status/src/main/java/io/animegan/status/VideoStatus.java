package io.animegan.status;

import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.EventSerde;
import io.animegan.events.EventSerdes;
import io.animegan.events.StoredVideoStatus;
import io.animegan.status.ImageStatus.Phase;

/**
 * What is known about one video clip, folded from its events by {@link VideoFold} and kept in the
 * status app's videos store as the Avro record {@link StoredVideoStatus} it wraps (a copy, so the
 * status is immutable). Counts of drawn frames and segments come from the drawn segments by index,
 * so a segment drawn again counts once; once done they are the clip's.
 */
public record VideoStatus(StoredVideoStatus stored) {

    private static final EventSerde<StoredVideoStatus> AVRO = EventSerdes.storedVideoStatus();

    public VideoStatus {
        stored = StoredVideoStatus.newBuilder(stored).build();
    }

    /** A copy of the stored form, free to change. */
    @Override
    public StoredVideoStatus stored() {
        return StoredVideoStatus.newBuilder(stored).build();
    }

    /** A clip none of whose events has been folded yet. */
    public static VideoStatus unknown(String id) {
        return new VideoStatus(StoredVideoStatus.newBuilder().setId(id).build());
    }

    public String id() {
        return stored.getId();
    }

    public String name() {
        return stored.getName();
    }

    public String style() {
        return stored.getStyle();
    }

    public Phase phase() {
        return Phase.valueOf(stored.getPhase());
    }

    /** The tenant whose clip this is; null while only a later stage's event has been folded. */
    public String owner() {
        return stored.getTenant();
    }

    /** Whether the tenant {@code who} (its id) may see this clip. */
    public boolean belongsTo(String who) {
        return who.equals(owner());
    }

    /** The job the clip belongs to; null for a single upload or before its submission is folded. */
    public String jobId() {
        return stored.getJobId();
    }

    public Long sizeBytes() {
        return stored.getSizeBytes();
    }

    public Long resultBytes() {
        return stored.getResultBytes();
    }

    /** What the clip counts against its tenant's stored bytes: the original and, once done, the result. */
    public long storedBytes() {
        return (sizeBytes() == null ? 0 : sizeBytes()) + (resultBytes() == null ? 0 : resultBytes());
    }

    public Integer frames() {
        return stored.getFrames();
    }

    public Integer segments() {
        return stored.getSegments();
    }

    public int framesDone() {
        if (phase() == Phase.DONE && frames() != null) {
            return frames();
        }
        return stored.getSegmentFrames().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
    }

    public int segmentsDone() {
        if (phase() == Phase.DONE && segments() != null) {
            return segments();
        }
        return stored.getSegmentFrames().size();
    }

    public Integer width() {
        return stored.getWidth();
    }

    public Integer height() {
        return stored.getHeight();
    }

    public Double durationSeconds() {
        return stored.getDurationSeconds();
    }

    public Boolean hasAudio() {
        return stored.getHasAudio();
    }

    /**
     * What plays as the clip's preview while it is drawn (its work is cleaned up once finished, so
     * null then): its own preview (its first seconds drawn cheaply) once drawn; before that the
     * first segment drawn; null while neither is.
     */
    public Preview preview() {
        if (phase().isFinal()) {
            return null;
        }
        if (stored.getPreviewFrames() != null) {
            return new Preview(Keys.videoPreview(id()), true);
        }
        Integer segment = stored.getPreviewSegment();
        return segment == null ? null : new Preview(Keys.videoSegment(id(), segment), false);
    }

    /**
     * A clip's preview.
     *
     * @param key where it is stored
     * @param drawn whether it is the clip's own preview (drawn cheaply, from the start) rather than its
     *     first drawn segment (drawn in full, from anywhere in the clip)
     */
    public record Preview(String key, boolean drawn) {}

    public BlobRef result() {
        return stored.getResult();
    }

    public String resultContentType() {
        return stored.getResultContentType();
    }

    /** Why the clip failed, once failed: the stage, a stable code and a message. */
    public Error error() {
        return stored.getErrorCode() == null
                ? null
                : new Error(stored.getErrorStage(), stored.getErrorCode(), stored.getErrorMessage());
    }

    public record Error(String stage, String code, String message) {}

    /**
     * How the clip's webhook went, once attempted: {@code state} pending, delivered or failed;
     * attempts so far; the last HTTP status, null when none was answered. Null when no webhook was
     * asked for or none attempted yet.
     */
    public Callback callback() {
        return stored.getCallback() == null
                ? null
                : new Callback(
                        stored.getCallback(),
                        stored.getCallbackAttempts() == null ? 0 : stored.getCallbackAttempts(),
                        stored.getCallbackLastStatus());
    }

    public record Callback(String state, int attempts, Integer lastStatus) {}

    public Long submittedAtMs() {
        return stored.getSubmittedAtMs();
    }

    public Long completedAtMs() {
        return stored.getCompletedAtMs();
    }

    public Long updatedAtMs() {
        return stored.getUpdatedAtMs();
    }

    /** The same status, stamped with the time it last changed. */
    public VideoStatus updatedAt(long timeMs) {
        StoredVideoStatus copy = stored();
        copy.setUpdatedAtMs(timeMs);
        return new VideoStatus(copy);
    }

    /**
     * Seconds until every frame is drawn, at the rate frames were drawn so far (from the start of
     * drawing to the latest drawn segment), counted down since that segment; null while nothing is
     * drawn yet or once finished.
     */
    public Double etaSeconds(long nowMs) {
        Long start = stored.getPlannedAtMs() != null ? stored.getPlannedAtMs() : submittedAtMs();
        Long last = stored.getLastDrawnAtMs();
        int done = framesDone();
        if (phase() != Phase.PROCESSING || frames() == null || done == 0 || start == null || last == null) {
            return null;
        }
        double msPerFrame = Math.max(1, last - start) / (double) done;
        double remainingMs = Math.max(0, frames() - done) * msPerFrame - Math.max(0, nowMs - last);
        return Math.round(Math.max(0, remainingMs) / 100.0) / 10.0;
    }

    public byte[] write() {
        return AVRO.serialize(null, stored);
    }

    public static VideoStatus read(byte[] bytes) {
        return new VideoStatus(AVRO.deserialize(null, bytes));
    }
}
