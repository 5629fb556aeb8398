package io.animegan.status;

import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What is known about one image, folded from its stage events by
 * {@link io.animegan.status.StatusFold} and kept in the status app's state store (as the Avro
 * record of {@link io.animegan.status.StoredStatuses}). Immutable.
 *
 * @param id image id
 * @param name the client's file name (null until the ImageSubmitted event is read)
 * @param phase queued, processing, done or failed; never moves backwards
 * @param detailRank pipeline position of the event the faces and size came from (-1: none yet)
 * @param faces number of faces, null until a stage has looked
 * @param width oriented source width while processing, result width once done
 * @param height likewise
 * @param error "stage: CODE: message" once failed
 * @param stageMs milliseconds per stage, from the traces
 * @param submittedAtMs when ingest accepted the upload
 * @param completedAtMs record timestamp of the event that made the image done or failed
 * @param faceDetails the faces of the latest event (in pipeline order) that carries faces
 * @param result the finished picture, once done
 * @param resultContentType its content type
 * @param overlay the debug overlay, when one was asked for
 * @param style id of the style the picture is drawn in (null until an event naming it is read)
 * @param updatedAtMs wall-clock time the status app last changed this status; retention counts from it
 * @param jobId the job the picture belongs to, null for a single upload (or until ImageSubmitted is read)
 * @param tenant the tenant that submitted it (null until ImageSubmitted is read; see {@link #owner()})
 * @param sizeBytes bytes of the uploaded original, what it counts against its tenant's stored bytes
 * @param callback the picture's webhook: pending, delivered or failed (null: none asked for, or none attempted yet)
 * @param callbackAttempts webhook attempts so far
 * @param callbackLastStatus HTTP status of the last webhook attempt, null when none was answered
 */
public record ImageStatus(
        String id,
        String name,
        Phase phase,
        int detailRank,
        Integer faces,
        Integer width,
        Integer height,
        String error,
        Map<String, Long> stageMs,
        Long submittedAtMs,
        Long completedAtMs,
        List<FaceDetail> faceDetails,
        BlobRef result,
        String resultContentType,
        BlobRef overlay,
        String style,
        Long updatedAtMs,
        String jobId,
        String tenant,
        Long sizeBytes,
        String callback,
        Integer callbackAttempts,
        Integer callbackLastStatus) {

    /** Id of the tenant of requests that name none, and of pictures submitted before tenants existed. */
    public static final String ANONYMOUS_TENANT = "anonymous";

    public ImageStatus {
        // Null-tolerant: statuses stored by an older version may lack these fields.
        stageMs = stageMs == null ? Map.of() : Map.copyOf(stageMs);
        faceDetails = faceDetails == null ? List.of() : List.copyOf(faceDetails);
    }

    /** The same status, part of the job {@code jobId}. */
    public ImageStatus inJob(String jobId) {
        return toBuilder().jobId(jobId).build();
    }

    /** The same status, submitted by {@code tenant} with an original of {@code sizeBytes}. */
    public ImageStatus ofTenant(String tenant, Long sizeBytes) {
        return toBuilder().tenant(tenant).sizeBytes(sizeBytes).build();
    }

    /**
     * The tenant whose picture this is: the one its submission named; anonymous for a status folded
     * from a submission written before tenants existed (it has a name but no tenant); null while
     * only a later stage's event has been folded, when nobody can be told it exists yet.
     */
    public String owner() {
        if (tenant != null) {
            return tenant;
        }
        return name != null ? ANONYMOUS_TENANT : null;
    }

    /** Whether the tenant {@code who} (its id) may see this picture. */
    public boolean belongsTo(String who) {
        return who.equals(owner());
    }

    /** The last pipeline step this image reached, as the API shows it. */
    public Stage stage() {
        if (phase == Phase.FAILED) {
            return Stage.FAILED;
        } else if (phase == Phase.DONE) {
            return Stage.DONE;
        }
        return Stage.reached(detailRank);
    }

    /** The same status, stamped with the time it last changed. */
    public ImageStatus updatedAt(long timeMs) {
        return toBuilder().updatedAtMs(timeMs).build();
    }

    /**
     * Milliseconds from submission to completion, once done. Completion comes from the event's
     * completedAtMs; events written before that field existed only have the record timestamp,
     * which Kafka Streams copies from the input, so the stages' own time is the lower bound.
     */
    public Long totalMs() {
        if (phase != Phase.DONE || submittedAtMs == null || completedAtMs == null) {
            return null;
        }
        long stagesMs = stageMs.values().stream().mapToLong(Long::longValue).sum();
        return Math.max(completedAtMs - submittedAtMs, stagesMs);
    }

    /** Nothing known yet: queued, no event folded. */
    public static ImageStatus unknown(String id) {
        return builder(id).build();
    }

    /** A status built field by field by name, starting from {@link #unknown}. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this status's fields, to change some by name. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.name = name;
        b.phase = phase;
        b.detailRank = detailRank;
        b.faces = faces;
        b.width = width;
        b.height = height;
        b.error = error;
        b.stageMs = stageMs;
        b.submittedAtMs = submittedAtMs;
        b.completedAtMs = completedAtMs;
        b.faceDetails = faceDetails;
        b.result = result;
        b.resultContentType = resultContentType;
        b.overlay = overlay;
        b.style = style;
        b.updatedAtMs = updatedAtMs;
        b.jobId = jobId;
        b.tenant = tenant;
        b.sizeBytes = sizeBytes;
        b.callback = callback;
        b.callbackAttempts = callbackAttempts;
        b.callbackLastStatus = callbackLastStatus;
        return b;
    }

    /** Builds an {@link ImageStatus} by field name; what is not set is as in {@link #unknown}. */
    public static final class Builder {
        private final String id;
        private String name;
        private Phase phase = Phase.QUEUED;
        private int detailRank = -1;
        private Integer faces;
        private Integer width;
        private Integer height;
        private String error;
        private Map<String, Long> stageMs = Map.of();
        private Long submittedAtMs;
        private Long completedAtMs;
        private List<FaceDetail> faceDetails = List.of();
        private BlobRef result;
        private String resultContentType;
        private BlobRef overlay;
        private String style;
        private Long updatedAtMs;
        private String jobId;
        private String tenant;
        private Long sizeBytes;
        private String callback;
        private Integer callbackAttempts;
        private Integer callbackLastStatus;

        private Builder(String id) {
            this.id = id;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder phase(Phase phase) {
            this.phase = phase;
            return this;
        }

        public Builder detailRank(int detailRank) {
            this.detailRank = detailRank;
            return this;
        }

        public Builder faces(Integer faces) {
            this.faces = faces;
            return this;
        }

        public Builder width(Integer width) {
            this.width = width;
            return this;
        }

        public Builder height(Integer height) {
            this.height = height;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        public Builder stageMs(Map<String, Long> stageMs) {
            this.stageMs = stageMs;
            return this;
        }

        public Builder submittedAtMs(Long submittedAtMs) {
            this.submittedAtMs = submittedAtMs;
            return this;
        }

        public Builder completedAtMs(Long completedAtMs) {
            this.completedAtMs = completedAtMs;
            return this;
        }

        public Builder faceDetails(List<FaceDetail> faceDetails) {
            this.faceDetails = faceDetails;
            return this;
        }

        public Builder result(BlobRef result) {
            this.result = result;
            return this;
        }

        public Builder resultContentType(String resultContentType) {
            this.resultContentType = resultContentType;
            return this;
        }

        public Builder overlay(BlobRef overlay) {
            this.overlay = overlay;
            return this;
        }

        public Builder style(String style) {
            this.style = style;
            return this;
        }

        public Builder updatedAtMs(Long updatedAtMs) {
            this.updatedAtMs = updatedAtMs;
            return this;
        }

        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder sizeBytes(Long sizeBytes) {
            this.sizeBytes = sizeBytes;
            return this;
        }

        public Builder callback(String callback) {
            this.callback = callback;
            return this;
        }

        public Builder callbackAttempts(Integer callbackAttempts) {
            this.callbackAttempts = callbackAttempts;
            return this;
        }

        public Builder callbackLastStatus(Integer callbackLastStatus) {
            this.callbackLastStatus = callbackLastStatus;
            return this;
        }

        public ImageStatus build() {
            return new ImageStatus(
                    id,
                    name,
                    phase,
                    detailRank,
                    faces,
                    width,
                    height,
                    error,
                    stageMs,
                    submittedAtMs,
                    completedAtMs,
                    faceDetails,
                    result,
                    resultContentType,
                    overlay,
                    style,
                    updatedAtMs,
                    jobId,
                    tenant,
                    sizeBytes,
                    callback,
                    callbackAttempts,
                    callbackLastStatus);
        }
    }

    /**
     * The last pipeline step reached: the latest step, in pipeline order, whose event has been
     * folded, or the final outcome. {@code rank} is the pipeline position of the step's event
     * ({@link #detailRank}); {@code progress} how far along that is (0..100), for the web page's
     * progress bar.
     */
    public enum Stage {
        QUEUED(0, 10),
        FACES(1, 40),
        STYLIZED(2, 75),
        DONE(3, 100),
        FAILED(3, 100);

        public final int rank;
        private final int progress;

        Stage(int rank, int progress) {
            this.rank = rank;
            this.progress = progress;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public int progress() {
            return progress;
        }

        /** The last step finished, from the pipeline position of the latest event (a failed image's too). */
        public static Stage reached(int detailRank) {
            if (detailRank >= STYLIZED.rank) {
                return STYLIZED;
            }
            return detailRank >= FACES.rank ? FACES : QUEUED;
        }

        /** The pipeline stages (trace names) still ahead of an image at this step. */
        public List<String> remainingStages() {
            return switch (this) {
                case QUEUED -> List.of("face", "stylize", "blend");
                case FACES -> List.of("stylize", "blend");
                case STYLIZED -> List.of("blend");
                case DONE, FAILED -> List.of();
            };
        }
    }

    /** Where an image is. DONE and FAILED are both final. */
    public enum Phase {
        QUEUED(0),
        PROCESSING(1),
        DONE(2),
        FAILED(2);

        private final int order;

        Phase(int order) {
            this.order = order;
        }

        public boolean isFinal() {
            return order == 2;
        }

        /** True when moving from this phase to {@code next} would not go backwards or sideways out of a final phase. */
        public boolean canMoveTo(Phase next) {
            return !isFinal() && next.order > order;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One face as shown to clients: box x1, y1, x2, y2 in source pixels, detector score, parsing regions. */
    public record FaceDetail(List<Float> box, float score, List<String> regions) {

        public FaceDetail {
            box = List.copyOf(box);
            regions = List.copyOf(regions);
        }

        public static List<FaceDetail> of(List<Face> faces) {
            return faces.stream()
                    .map(f -> new FaceDetail(f.getBox(), f.getScore(), f.getRegions()))
                    .toList();
        }
    }
}
