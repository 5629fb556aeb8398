package io.animegan.ingest.status;

import io.animegan.common.storage.Keys;
import io.animegan.common.storage.StorageException;
import io.animegan.ingest.ImageStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the retention policy. Every status is indexed by its last update time in
 * {@link StatusTopology#BY_UPDATE} (key {@code <19-digit ms>/<id>}, which sorts by time), so a
 * wall-clock punctuation reads only the expired head of the index, in bounded chunks. An expired
 * picture's blobs are deleted first, then its status is deleted (a tombstone in the changelog);
 * when storage is down the status stays and the next scan tries again.
 */
final class RetentionProcessor implements Processor<String, StatusChange, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(RetentionProcessor.class);
  /** Most statuses one scan expires per partition, so a backlog never stalls the stream thread for long. */
  static final int CHUNK = 500;
  /** Longest one scan spends deleting before it leaves the rest to the next scan. */
  static final long ROUND_BUDGET_NANOS = 1_000_000_000L;

  private final Duration retention;
  private final Duration scanInterval;
  private final PrefixDeleter blobs;
  private KeyValueStore<String, ImageStatus> statuses;
  private KeyValueStore<String, String> byUpdate;

  RetentionProcessor(Duration retention, Duration scanInterval, PrefixDeleter blobs) {
    this.retention = retention;
    this.scanInterval = scanInterval;
    this.blobs = blobs;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    statuses = context.getStateStore(StatusTopology.STATUSES);
    byUpdate = context.getStateStore(StatusTopology.BY_UPDATE);
    context.schedule(scanInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<String, StatusChange> record) {
    StatusChange change = record.value();
    if (change.before() != null && change.before().updatedAtMs() != null) {
      byUpdate.delete(indexKey(change.before().updatedAtMs(), record.key()));
    }
    byUpdate.put(indexKey(change.after().updatedAtMs(), record.key()), record.key());
  }

  static String indexKey(long updatedAtMs, String id) {
    return String.format("%019d/%s", Math.max(0, updatedAtMs), id);
  }

  void expire(long nowMs) {
    String cutoff = indexKey(nowMs - retention.toMillis(), "");
    List<KeyValue<String, String>> expired = new ArrayList<>();
    try (KeyValueIterator<String, String> it = byUpdate.range(null, cutoff)) {
      while (it.hasNext() && expired.size() < CHUNK) {
        expired.add(it.next());
      }
    }
    int deleted = 0;
    long deadline = System.nanoTime() + ROUND_BUDGET_NANOS;
    for (KeyValue<String, String> entry : expired) {
      if (System.nanoTime() > deadline) {
        break;
      }
      String id = entry.value;
      try {
        for (String prefix : Keys.imagePrefixes(id)) {
          blobs.deletePrefix(prefix);
        }
      } catch (StorageException e) {
        log.warn("retention: cannot delete the blobs of {} now ({}); next scan retries", id, e.getMessage());
        break;
      }
      statuses.delete(id);
      byUpdate.delete(entry.key);
      deleted++;
    }
    if (deleted > 0) {
      log.info("retention: deleted {} statuses and their blobs, last updated over {} ago", deleted, retention);
    }
  }
}
