package io.animegan.common.config;

import io.animegan.events.EventSerdes;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobCompleted;
import io.animegan.events.JobProgress;
import io.animegan.events.WebhookDelivery;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline's topics, each bound to its serde, and their sizing. Every stage, ingest and every
 * test reads the same record, so names and serdes live in one place.
 *
 * @param deadLetter records no reader could deserialise, with headers naming where they came from
 * @param jobProgress inside the status app: job pictures submitted and finished, keyed by job id
 * @param jobsCompleted one event per finished job (every picture done or failed), keyed by job id
 * @param tenantUsage inside the status app: changes of a tenant's stored bytes, keyed by tenant id
 * @param webhookDeliveries webhook-stage's delivery changes (pending, delivered, failed), keyed by image or job id
 * @param videos the video path's topics ("animegan.videos." beside "animegan.images.")
 */
public record Topics(
        Topic<ImageSubmitted> submitted,
        Topic<FacesDetected> facesDetected,
        Topic<ImageStylized> stylized,
        Topic<ImageCompleted> completed,
        Topic<ImageFailed> failed,
        Topic<byte[]> deadLetter,
        Topic<JobProgress> jobProgress,
        Topic<JobCompleted> jobsCompleted,
        Topic<Long> tenantUsage,
        Topic<WebhookDelivery> webhookDeliveries,
        VideoTopics videos,
        int partitions,
        short replicationFactor) {

    public static final String DEFAULT_PREFIX = "animegan.images.";

    public static Topics withPrefix(String prefix, int partitions, short replicationFactor) {
        return new Topics(
                new Topic<>(prefix + "submitted", EventSerdes.imageSubmitted()),
                new Topic<>(prefix + "faces", EventSerdes.facesDetected()),
                new Topic<>(prefix + "stylized", EventSerdes.imageStylized()),
                new Topic<>(prefix + "completed", EventSerdes.imageCompleted()),
                new Topic<>(prefix + "failed", EventSerdes.imageFailed()),
                new Topic<>(prefix + "dead-letter", Serdes.ByteArray()),
                new Topic<>(jobsPrefix(prefix) + "progress", EventSerdes.jobProgress()),
                new Topic<>(jobsPrefix(prefix) + "completed", EventSerdes.jobCompleted()),
                new Topic<>(jobsPrefix(prefix).replaceFirst("jobs\\.$", "tenants.") + "usage", Serdes.Long()),
                new Topic<>(prefix + "webhooks", EventSerdes.webhookDelivery()),
                VideoTopics.withPrefix(siblingPrefix(prefix, "videos.")),
                partitions,
                replicationFactor);
    }

    /** Job topics sit beside the image topics: "animegan.images." gives "animegan.jobs.". */
    static String jobsPrefix(String imagesPrefix) {
        return siblingPrefix(imagesPrefix, "jobs.");
    }

    /** A prefix beside the image topics' own: ("animegan.images.", "videos.") gives "animegan.videos.". */
    static String siblingPrefix(String imagesPrefix, String sibling) {
        return imagesPrefix.endsWith("images.")
                ? imagesPrefix.substring(0, imagesPrefix.length() - "images.".length()) + sibling
                : imagesPrefix + sibling;
    }

    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX, 6, (short) 1);
    }

    /** The five event topics an image's status is folded from, in pipeline order. */
    public List<Topic<?>> events() {
        return List.of(submitted, facesDetected, stylized, completed, failed);
    }

    /** Every topic the pipeline needs to exist. */
    public List<Topic<?>> all() {
        return Stream.concat(images().stream(), videos.all().stream()).toList();
    }

    private List<Topic<?>> images() {
        return List.of(
                submitted,
                facesDetected,
                stylized,
                completed,
                failed,
                deadLetter,
                jobProgress,
                jobsCompleted,
                tenantUsage,
                webhookDeliveries);
    }
}
