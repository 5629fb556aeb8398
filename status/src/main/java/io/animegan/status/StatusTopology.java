package io.animegan.status;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.stage.CloudEventHeaders;
import io.animegan.events.JobCompleted;
import io.animegan.events.JobProgress;
import io.animegan.events.WebhookDelivery;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The status app on the Kafka Streams DSL: the five event topics are folded into a KTable of one
 * status per image, the job topic into a KTable of one job per job id, the clips' topics into a
 * KTable of one status per clip, all in persistent (RocksDB) stores whose changelog topics are
 * compacted.
 *
 * <pre>
 * submitted, faces, stylized, completed, failed, deliveries (image.*) ──▶ screen ──▶ stamp ──▶ aggregate [statuses]
 *   statuses ──▶ retention [statuses-by-update, work-cleanup, jobs; one punctuator] ──▶ tenants.usage
 *            └──▶ job progress ──▶ jobs.progress (keyed by job id)
 * jobs.progress ──▶ aggregate [jobs] ──▶ jobs.completed (once per job)
 * tenants.usage ──▶ aggregate [tenant-bytes]
 * videos submitted, planned, segments-drawn, completed, failed, deliveries (video.*) ──▶ stamp ──▶ aggregate [videos]
 *   videos ──▶ video retention [videos-by-update, video-work-cleanup; one punctuator] ──▶ tenants.usage
 *          └──▶ job progress ──▶ jobs.progress (keyed by job id)
 * </pre>
 */
public final class StatusTopology {

    public static final String APPLICATION_ID = "animegan-ingest-status";
    /** The {@code ce_source} of job completions. */
    static final String CLOUDEVENT_SOURCE = "/animegan/status";
    /** Image id to its status (the Avro record, {@link StoredStatuses}; earlier versions' JSON is still read). */
    public static final String STATUSES = "statuses";
    /** {@code <update time>/<id>} to id: the retention scan's index. */
    static final String BY_UPDATE = "statuses-by-update";
    /** Job id to its {@link JobStatus} (the Avro record, {@link StoredJobs}; earlier versions' JSON is still read). */
    public static final String JOBS = "jobs";
    /** Tenant id to the bytes of originals it keeps stored: submissions minus what retention deleted. */
    public static final String TENANT_BYTES = "tenant-bytes";
    /** Ids of finished pictures whose intermediate blobs are still to be deleted. */
    static final String WORK_CLEANUP = "work-cleanup";
    /** Video id to its status (the Avro record {@code StoredVideoStatus}, see {@link VideoStatus}). */
    public static final String VIDEOS = "videos";
    /** {@code <update time>/<id>} to id: the clips' retention index. */
    static final String VIDEOS_BY_UPDATE = "videos-by-update";
    /** Ids of finished clips whose drawn segments are still to be deleted. */
    static final String VIDEO_WORK_CLEANUP = "video-work-cleanup";

    private StatusTopology() {}

    /** The changelog topic Kafka Streams keeps for {@link #STATUSES}: every status change, tombstones included. */
    public static String statusChangelog(String applicationId) {
        return applicationId + "-" + STATUSES + "-changelog";
    }

    /** The changelog topic Kafka Streams keeps for {@link #VIDEOS}. */
    public static String videoChangelog(String applicationId) {
        return applicationId + "-" + VIDEOS + "-changelog";
    }

    /**
     * @param bucket the service's bucket: completions naming results elsewhere are folded as failures ({@link ResultScreen})
     * @param blobs deletes blobs under a prefix
     * @param deletions runs those deletions off the stream thread
     */
    public static Topology build(
            Topics topics, String bucket, StatusSettings settings, PrefixDeleter blobs, Executor deletions) {
        StreamsBuilder builder = new StreamsBuilder();
        // The jobs table first: the retention step below reads its store.
        addJobs(builder, topics);
        // One source for the deliveries (a topic is read once per topology): pictures' and clips'
        // show in their statuses; a job's are keyed by job id and stay out.
        KStream<String, Object> deliveries = stream(builder, topics.webhookDeliveries());
        KTable<String, StatusChange> statuses = statuses(builder, topics, deliveries, new ResultScreen(bucket));
        KStream<String, StatusChange> changes = statuses.toStream(Named.as("status-changes"));
        changes.flatMap((id, change) -> change.jobProgress(), Named.as("job-progress"))
                .processValues(
                        CloudEventHeaders.<JobProgress>writer(CLOUDEVENT_SOURCE), Named.as("job-progress-cloudevent"))
                .to(topics.jobProgress().name(), topics.jobProgress().produced().withName("write-job-progress"));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BY_UPDATE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WORK_CLEANUP), Serdes.String(), Serdes.Long()));
        changes.process(
                        () -> new RetentionProcessor(settings, blobs, deletions),
                        Named.as("retention"),
                        STATUSES,
                        JOBS,
                        BY_UPDATE,
                        WORK_CLEANUP)
                .to(topics.tenantUsage().name(), topics.tenantUsage().produced().withName("write-usage"));
        addVideos(builder, topics, deliveries, settings, blobs, deletions);
        addUsage(builder, topics);
        return builder.build();
    }

    /** Every event of an image, in the order read, folded into its status ({@link StatusFold}). */
    private static KTable<String, StatusChange> statuses(
            StreamsBuilder builder, Topics topics, KStream<String, Object> deliveries, ResultScreen screen) {
        KStream<String, Object> events = null;
        for (Topic<?> topic : topics.events()) {
            KStream<String, Object> read = stream(builder, topic);
            events = events == null ? read : events.merge(read);
        }
        events = events.merge(
                deliveries.filter((id, delivery) -> about(delivery, "image."), Named.as("picture-webhooks")));
        // No cache in front of the statuses: every change reaches the changelog, which live listeners
        // tail, and the steps downstream get the aggregator's StatusChange itself (a cache would hand
        // them the stored value, which carries no change).
        return events.mapValues(screen::screen, Named.as("screen"))
                .processValues(Stamp::new, Named.as("stamp"))
                .groupByKey()
                .aggregate(
                        () -> null,
                        (id, stamped, stored) -> stamped.foldInto(id, stored),
                        Named.as("fold"),
                        Materialized.<String, StatusChange, KeyValueStore<Bytes, byte[]>>as(STATUSES)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(StatusChange.serde())
                                .withCachingDisabled());
    }

    /**
     * Every event of a clip, and its webhook's deliveries, folded into its status ({@link VideoFold})
     * in the videos table, whose changes feed the clips' retention, their tenants' stored bytes and
     * their jobs.
     * The segments topic stays out: a requested segment says nothing the plan did not.
     */
    private static void addVideos(
            StreamsBuilder builder,
            Topics topics,
            KStream<String, Object> deliveries,
            StatusSettings settings,
            PrefixDeleter blobs,
            Executor deletions) {
        VideoTopics t = topics.videos();
        KStream<String, Object> events = stream(builder, t.submitted())
                .merge(stream(builder, t.planned()))
                .merge(stream(builder, t.segmentsDrawn()))
                .merge(stream(builder, t.completed()))
                .merge(stream(builder, t.failed()))
                .merge(deliveries.filter((id, delivery) -> about(delivery, "video."), Named.as("clip-webhooks")));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VIDEOS_BY_UPDATE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VIDEO_WORK_CLEANUP), Serdes.String(), Serdes.Long()));
        // Uncached for the statuses' reasons: live listeners tail the changelog, and retention reads the change.
        KStream<String, VideoChange> changes = events.processValues(Stamp::new, Named.as("video-stamp"))
                .groupByKey()
                .aggregate(
                        () -> null,
                        (id, stamped, stored) -> stamped.foldVideo(id, stored),
                        Named.as("video-fold"),
                        Materialized.<String, VideoChange, KeyValueStore<Bytes, byte[]>>as(VIDEOS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(VideoChange.serde())
                                .withCachingDisabled())
                .toStream(Named.as("video-changes"));
        // A job's clips count in it as its pictures do: their progress joins the pictures' on the job topic.
        changes.flatMap((id, change) -> change.jobProgress(), Named.as("video-job-progress"))
                .processValues(
                        CloudEventHeaders.<JobProgress>writer(CLOUDEVENT_SOURCE),
                        Named.as("video-job-progress-cloudevent"))
                .to(topics.jobProgress().name(), topics.jobProgress().produced().withName("write-video-job-progress"));
        changes.process(
                        () -> new VideoRetentionProcessor(settings, blobs, deletions),
                        Named.as("video-retention"),
                        VIDEOS,
                        VIDEOS_BY_UPDATE,
                        VIDEO_WORK_CLEANUP)
                .to(topics.tenantUsage().name(), topics.tenantUsage().produced().withName("write-video-usage"));
    }

    /** Each picture's progress, keyed by job id, folded into its job; a job's completion is announced once. */
    private static void addJobs(StreamsBuilder builder, Topics topics) {
        Topic<JobProgress> progress = topics.jobProgress();
        builder.stream(progress.name(), progress.consumed().withName("read-job-progress"))
                .groupByKey()
                // Uncached for the same reason as the statuses: the completion filter reads the aggregator's JobChange.
                .aggregate(
                        () -> null,
                        JobChange::fold,
                        Named.as("job-fold"),
                        Materialized.<String, JobChange, KeyValueStore<Bytes, byte[]>>as(JOBS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(JobChange.serde())
                                .withCachingDisabled())
                .toStream(Named.as("job-changes"))
                .filter((jobId, change) -> change.completed(), Named.as("job-completions"))
                .mapValues(JobChange::announcement, Named.as("job-completed"))
                .processValues(
                        CloudEventHeaders.<JobCompleted>writer(CLOUDEVENT_SOURCE), Named.as("job-completed-cloudevent"))
                .to(
                        topics.jobsCompleted().name(),
                        topics.jobsCompleted().produced().withName("write-jobs-completed"));
    }

    /** Stored bytes per tenant: changes re-keyed by tenant through the usage topic, summed there (never below 0). */
    private static void addUsage(StreamsBuilder builder, Topics topics) {
        Topic<Long> usage = topics.tenantUsage();
        builder.stream(usage.name(), usage.consumed().withName("read-usage"))
                .groupByKey()
                .aggregate(
                        () -> 0L,
                        (tenant, bytes, sum) -> Math.max(0, sum + bytes),
                        Named.as("usage-sum"),
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(TENANT_BYTES)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long()));
    }

    /** Whether a webhook delivery is about a picture ({@code image.}) or a clip ({@code video.}), by its type. */
    private static boolean about(Object delivery, String typePrefix) {
        return ((WebhookDelivery) delivery).getType().startsWith(typePrefix);
    }

    @SuppressWarnings("unchecked")
    private static KStream<String, Object> stream(StreamsBuilder builder, Topic<?> topic) {
        Topic<Object> events = (Topic<Object>) topic;
        return builder.stream(events.name(), events.consumed().withName("read-" + events.name()));
    }

    /** An event with the times its fold needs: the record's timestamp and the wall clock it was folded at. */
    private record Stamped(Object event, long timestampMs, long foldedAtMs) {

        /** The status with the event folded in; an event that adds nothing leaves the status as stored. */
        StatusChange foldInto(String id, StatusChange stored) {
            ImageStatus before = stored == null ? null : stored.after();
            ImageStatus folded =
                    StatusFold.apply(before != null ? before : ImageStatus.unknown(id), event, timestampMs);
            if (before != null && folded.equals(before)) {
                return StatusChange.stored(before);
            }
            return new StatusChange(before, folded.updatedAt(foldedAtMs), event);
        }

        /** The clip's status with the event folded in; an event that adds nothing leaves it as stored. */
        VideoChange foldVideo(String id, VideoChange stored) {
            VideoStatus before = stored == null ? null : stored.after();
            VideoStatus folded = VideoFold.apply(before != null ? before : VideoStatus.unknown(id), event, timestampMs);
            if (before != null && folded.equals(before)) {
                return VideoChange.stored(before);
            }
            return new VideoChange(before, folded.updatedAt(foldedAtMs), event);
        }
    }

    /** Stamps each event with the wall clock, which retention counts from (an aggregator cannot read it). */
    private static final class Stamp extends ContextualFixedKeyProcessor<String, Object, Stamped> {
        @Override
        public void process(FixedKeyRecord<String, Object> record) {
            context()
                    .forward(record.withValue(new Stamped(
                            record.value(), record.timestamp(), context().currentSystemTimeMs())));
        }
    }
}
