package io.animegan.status;

import io.animegan.events.EventSerde;
import io.animegan.events.EventSerdes;
import io.animegan.events.StoredJob;
import io.animegan.events.StoredJobImage;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@link JobStatus} in its typed stored form, the Avro record {@link StoredJob}, field by field by
 * name. The jobs store, its changelog and the internal route hold this form; they also read the
 * JSON of earlier versions ({@link #readAny}), as {@link StoredStatuses} does for statuses.
 */
public final class StoredJobs {

    private static final EventSerde<StoredJob> AVRO = EventSerdes.storedJob();

    private StoredJobs() {}

    public static StoredJob toStored(JobStatus job) {
        return StoredJob.newBuilder()
                .setId(job.id())
                .setTotal(job.total())
                .setImages(job.images().entrySet().stream()
                        .map(e -> StoredJobImage.newBuilder()
                                .setImageId(e.getKey())
                                .setOutcome(e.getValue())
                                .build())
                        .toList())
                .setSubmittedAtMs(job.submittedAtMs())
                .setLastFinishedAtMs(job.lastFinishedAtMs())
                .setAnnounced(job.announced())
                .setTenant(job.tenant())
                .setVideos(List.copyOf(job.videos()))
                .build();
    }

    public static JobStatus fromStored(StoredJob r) {
        Map<String, String> images = new LinkedHashMap<>();
        r.getImages().forEach(i -> images.put(i.getImageId(), i.getOutcome()));
        return new JobStatus(
                r.getId(),
                r.getTotal(),
                images,
                r.getSubmittedAtMs(),
                r.getLastFinishedAtMs(),
                r.getAnnounced(),
                r.getTenant(),
                new LinkedHashSet<>(r.getVideos()));
    }

    public static byte[] write(JobStatus job) {
        return AVRO.serialize(null, toStored(job));
    }

    public static JobStatus read(byte[] bytes) {
        return fromStored(AVRO.deserialize(null, bytes));
    }

    /** A stored job in either form: the Avro record or the JSON of earlier versions ({@link LegacyJson}). */
    public static JobStatus readAny(byte[] bytes) {
        return StoredStatuses.isAvro(bytes) ? read(bytes) : LegacyJson.job(bytes);
    }
}
