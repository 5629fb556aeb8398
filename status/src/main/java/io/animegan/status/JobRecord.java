package io.animegan.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What ingest knows of a job when it answers 202, stored at {@link #key} before that answer: so a
 * job reads as queued, on any instance, while the status app has not folded all its pictures yet.
 * The job's retention ({@code RetentionProcessor}) deletes it before the folded job.
 *
 * @param tenant who created the job
 * @param images the job's image ids, in the order they were stored
 * @param createdAtMs when ingest stored the job's pictures
 * @param videos the job's clip ids, in the order they were stored (none in a record written before jobs held clips)
 */
public record JobRecord(String tenant, List<String> images, long createdAtMs, List<String> videos) {

    /** Service-owned, like {@code inputs/} and {@code work/}: never a tenant's job input. */
    public static final String PREFIX = "jobs/";
    /** Job ids are made by ingest ({@code UUID.randomUUID()}): anything else names no record, and no key. */
    private static final Pattern JOB_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public JobRecord {
        images = List.copyOf(images);
        videos = videos == null ? List.of() : List.copyOf(videos);
    }

    /** A job of pictures only. */
    public JobRecord(String tenant, List<String> images, long createdAtMs) {
        this(tenant, images, createdAtMs, List.of());
    }

    public static boolean isJobId(String jobId) {
        return jobId != null && JOB_ID.matcher(jobId).matches();
    }

    /** Everything stored for the job: its record. */
    public static String prefix(String jobId) {
        if (!isJobId(jobId)) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        return PREFIX + jobId + "/";
    }

    public static String key(String jobId) {
        return prefix(jobId) + "job.json";
    }

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a job record", e);
        }
    }

    public static JobRecord fromJson(byte[] json) {
        try {
            return MAPPER.readValue(json, JobRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable job record", e);
        }
    }

    public boolean belongsTo(String who) {
        return who.equals(tenant);
    }

    /** The job as the status app will fold it, before it has: every picture pending. */
    public JobStatus asQueued(String jobId) {
        return addTo(new JobStatus(jobId, size(), java.util.Map.of(), createdAtMs, null, false, tenant));
    }

    /** Pictures and clips. */
    private int size() {
        return images.size() + videos.size();
    }

    /** A job the status app has folded only in part, with the pictures it has not folded yet as pending. */
    public JobStatus addTo(JobStatus job) {
        JobStatus merged = job;
        for (String image : images) {
            if (!merged.images().containsKey(image)) {
                merged = merged.with(image, false, JobStatus.PENDING, size(), createdAtMs);
            }
        }
        for (String video : videos) {
            if (!merged.images().containsKey(video)) {
                merged = merged.with(video, true, JobStatus.PENDING, size(), createdAtMs);
            }
        }
        return merged;
    }
}
