package io.animegan.status;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The status app: the five event topics are folded into one status per image id in a persistent
 * (RocksDB) store whose changelog topic is compacted; two processors downstream of the fold apply
 * the retention policy and delete intermediate blobs of finished pictures.
 *
 * <pre>
 * submitted, faces, stylized, completed, failed ──▶ screen ──▶ fold [statuses] ──┬──▶ retention [statuses, statuses-by-update]
 *                                                                      └──▶ work-cleanup [work-cleanup]
 *                                    └──▶ job-link [image-jobs] ──▶ jobs.progress (keyed by job id)
 * jobs.progress ──▶ job-fold [jobs] ──▶ jobs.completed   (its retention deletes ingest's jobs/&lt;id&gt;/ record, then the job)
 * fold ──▶ usage, retention ──▶ tenants.usage (keyed by tenant) ──▶ usage-sum [tenant-bytes]
 * </pre>
 */
public final class StatusTopology {

  public static final String APPLICATION_ID = "animegan-ingest-status";
  /** Image id to its status (written as JSON, {@link StatusJson}; read in either stored form, {@link StoredStatuses}). */
  public static final String STATUSES = "statuses";
  /** {@code <update time>/<id>} to id: the retention scan's index. */
  static final String BY_UPDATE = "statuses-by-update";
  /** Job id to its {@link JobStatus} (written as JSON, {@link JobJson}; read in either stored form, {@link StoredJobs}). */
  public static final String JOBS = "jobs";
  /** Image id to its job id and size, for pictures submitted as part of a job. */
  static final String IMAGE_JOBS = "image-jobs";
  /** Tenant id to the bytes of originals it keeps stored (see {@link UsageSumProcessor}). */
  public static final String TENANT_BYTES = "tenant-bytes";
  /** Ids of finished pictures whose intermediate blobs are still to be deleted. */
  static final String WORK_CLEANUP = "work-cleanup";

  private StatusTopology() {}

  /** The changelog topic Kafka Streams keeps for {@link #STATUSES}: every status change, tombstones included. */
  public static String statusChangelog(String applicationId) {
    return applicationId + "-" + STATUSES + "-changelog";
  }

  /**
   * @param bucket the service's bucket: completions naming results elsewhere are folded as failures ({@link ResultScreen})
   * @param blobs deletes blobs under a prefix
   * @param deletions runs those deletions off the stream thread
   */
  public static Topology build(Topics topics, String bucket, StatusSettings settings, PrefixDeleter blobs,
      Executor deletions) {
    Topology topology = new Topology();
    List<String> sources = new ArrayList<>();
    for (Topic<?> topic : topics.events()) {
      String source = "read-" + topic.name();
      topology.addSource(source, topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name());
      sources.add(source);
    }
    topology.addProcessor("screen", () -> new ResultScreen(bucket), sources.toArray(String[]::new));
    List<String> screened = List.of("screen");
    topology.addProcessor("fold", FoldProcessor::new, screened.toArray(String[]::new));
    topology.addProcessor("retention",
        () -> new RetentionProcessor(settings.retention(), settings.retentionScan(), blobs, deletions), "fold");
    topology.addProcessor("work-cleanup", () -> new WorkCleanupProcessor(settings.cleanupInterval(), blobs, deletions), "fold");
    addJobs(topology, topics, settings, screened, blobs, deletions);
    addUsage(topology, topics);
    // No cache in front of the statuses: every change reaches the changelog, which live listeners tail.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUSES), Serdes.String(),
        StoredStatuses.storeSerde()).withCachingDisabled(), "fold", "retention");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BY_UPDATE), Serdes.String(),
        Serdes.String()), "retention");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WORK_CLEANUP), Serdes.String(),
        Serdes.Long()), "work-cleanup");
    return topology;
  }

  /** Stored bytes per tenant: changes re-keyed by tenant through the usage topic, summed there. */
  private static void addUsage(Topology topology, Topics topics) {
    topology.addProcessor("usage", UsageProcessor::new, "fold");
    topology.addSink("write-usage", topics.tenantUsage().name(), topics.tenantUsage().keySerde().serializer(),
        topics.tenantUsage().valueSerde().serializer(), "usage", "retention");
    topology.addSource("read-usage", topics.tenantUsage().keySerde().deserializer(),
        topics.tenantUsage().valueSerde().deserializer(), topics.tenantUsage().name());
    topology.addProcessor("usage-sum", UsageSumProcessor::new, "read-usage");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TENANT_BYTES), Serdes.String(),
        Serdes.Long()), "usage-sum");
  }

  /** Pictures of a job are keyed by image id; the job topic re-keys them by job id for the job fold. */
  private static void addJobs(Topology topology, Topics topics, StatusSettings settings, List<String> sources,
      PrefixDeleter blobs, Executor deletions) {
    topology.addProcessor("job-link", () -> new JobLinkProcessor(settings.retention(), settings.retentionScan()),
        sources.toArray(String[]::new));
    topology.addSink("write-job-progress", topics.jobProgress().name(), topics.jobProgress().keySerde().serializer(),
        topics.jobProgress().valueSerde().serializer(), "job-link");
    topology.addSource("read-job-progress", topics.jobProgress().keySerde().deserializer(),
        topics.jobProgress().valueSerde().deserializer(), topics.jobProgress().name());
    topology.addProcessor("job-fold", () -> new JobFoldProcessor(settings.retention(), settings.retentionScan(), blobs, deletions),
        "read-job-progress");
    topology.addSink("write-jobs-completed", topics.jobsCompleted().name(),
        topics.jobsCompleted().keySerde().serializer(), topics.jobsCompleted().valueSerde().serializer(), "job-fold");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IMAGE_JOBS), Serdes.String(),
        Serdes.String()), "job-link");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOBS), Serdes.String(),
        StoredJobs.storeSerde()), "job-fold");
  }
}
