package io.animegan.status;

import io.animegan.events.EventSerde;
import io.animegan.events.EventSerdes;
import io.animegan.events.StoredFaceDetail;
import io.animegan.events.StoredImageStatus;
import io.animegan.events.StoredPhase;
import io.animegan.status.ImageStatus.FaceDetail;
import io.animegan.status.ImageStatus.Phase;
import java.util.HashMap;

/**
 * {@link ImageStatus} in its typed stored form, the Avro record {@link StoredImageStatus} (schema
 * in module schemas): field by field by name, never by position. The statuses store, its
 * changelog and the internal route hold this form; they also read the JSON of earlier versions
 * ({@link #readAny}).
 */
public final class StoredStatuses {

    private static final EventSerde<StoredImageStatus> AVRO = EventSerdes.storedImageStatus();

    private StoredStatuses() {}

    public static StoredImageStatus toStored(ImageStatus s) {
        return StoredImageStatus.newBuilder()
                .setId(s.id())
                .setName(s.name())
                .setPhase(StoredPhase.valueOf(s.phase().name()))
                .setDetailRank(s.detailRank())
                .setFaces(s.faces())
                .setWidth(s.width())
                .setHeight(s.height())
                .setError(s.error())
                .setStageMs(new HashMap<>(s.stageMs()))
                .setSubmittedAtMs(s.submittedAtMs())
                .setCompletedAtMs(s.completedAtMs())
                .setFaceDetails(s.faceDetails().stream()
                        .map(f -> StoredFaceDetail.newBuilder()
                                .setBox(f.box())
                                .setScore(f.score())
                                .setRegions(f.regions())
                                .build())
                        .toList())
                .setResult(s.result())
                .setResultContentType(s.resultContentType())
                .setOverlay(s.overlay())
                .setStyle(s.style())
                .setUpdatedAtMs(s.updatedAtMs())
                .setJobId(s.jobId())
                .setTenant(s.tenant())
                .setSizeBytes(s.sizeBytes())
                .setCallback(s.callback())
                .setCallbackAttempts(s.callbackAttempts())
                .setCallbackLastStatus(s.callbackLastStatus())
                .build();
    }

    public static ImageStatus fromStored(StoredImageStatus r) {
        return ImageStatus.builder(r.getId())
                .name(r.getName())
                .phase(Phase.valueOf(r.getPhase().name()))
                .detailRank(r.getDetailRank())
                .faces(r.getFaces())
                .width(r.getWidth())
                .height(r.getHeight())
                .error(r.getError())
                .stageMs(r.getStageMs())
                .submittedAtMs(r.getSubmittedAtMs())
                .completedAtMs(r.getCompletedAtMs())
                .faceDetails(r.getFaceDetails().stream()
                        .map(f -> new FaceDetail(f.getBox(), f.getScore(), f.getRegions()))
                        .toList())
                .result(r.getResult())
                .resultContentType(r.getResultContentType())
                .overlay(r.getOverlay())
                .style(r.getStyle())
                .updatedAtMs(r.getUpdatedAtMs())
                .jobId(r.getJobId())
                .tenant(r.getTenant())
                .sizeBytes(r.getSizeBytes())
                .callback(r.getCallback())
                .callbackAttempts(r.getCallbackAttempts())
                .callbackLastStatus(r.getCallbackLastStatus())
                .build();
    }

    public static byte[] write(ImageStatus status) {
        return AVRO.serialize(null, toStored(status));
    }

    public static ImageStatus read(byte[] bytes) {
        return fromStored(AVRO.deserialize(null, bytes));
    }

    /** Whether the bytes are Avro single-object encoded (they start C3 01); a JSON-stored status starts with '{'. */
    static boolean isAvro(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }

    /** A stored status in either form: the Avro record or the JSON of earlier versions ({@link LegacyJson}). */
    public static ImageStatus readAny(byte[] bytes) {
        return isAvro(bytes) ? read(bytes) : LegacyJson.status(bytes);
    }
}
