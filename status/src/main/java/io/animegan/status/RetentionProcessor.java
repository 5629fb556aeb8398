package io.animegan.status;

import io.animegan.common.storage.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
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
 * picture's blobs are deleted first (in the background), then, at a later punctuation, its status
 * (a tombstone in the changelog); while storage is down the status stays and is tried again.
 */
final class RetentionProcessor implements Processor<String, StatusChange, String, Long> {

  private static final Logger log = LoggerFactory.getLogger(RetentionProcessor.class);
  /** Most expired statuses one scan hands over per partition. */
  static final int CHUNK = 500;

  private final Duration retention;
  private final Duration scanInterval;
  private final BackgroundDeletions deletions;
  private KeyValueStore<String, ImageStatus> statuses;
  private KeyValueStore<String, String> byUpdate;
  private ProcessorContext<String, Long> context;

  RetentionProcessor(Duration retention, Duration scanInterval, PrefixDeleter blobs, Executor executor) {
    this.retention = retention;
    this.scanInterval = scanInterval;
    this.deletions = new BackgroundDeletions("retention", blobs, executor);
  }

  @Override
  public void init(ProcessorContext<String, Long> context) {
    this.context = context;
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
    int submitted = 0;
    List<String> orphans = new ArrayList<>();
    try (KeyValueIterator<String, String> it = byUpdate.range(null, cutoff)) {
      while (it.hasNext() && submitted < CHUNK) {
        KeyValue<String, String> entry = it.next();
        if (statuses.get(entry.value) == null) {
          orphans.add(entry.key); // its status is gone already
        } else if (deletions.submit(entry.value, Keys.imagePrefixes(entry.value))) {
          submitted++;
        } else {
          break;
        }
      }
    }
    orphans.forEach(byUpdate::delete);
    List<String> gone = deletions.drainDeleted();
    for (String id : gone) {
      ImageStatus status = statuses.get(id);
      // A status updated after its blobs were queued for deletion is newer than the retention: keep it.
      if (status != null && status.updatedAtMs() != null && status.updatedAtMs() >= nowMs - retention.toMillis()) {
        continue;
      }
      if (status != null && status.updatedAtMs() != null) {
        byUpdate.delete(indexKey(status.updatedAtMs(), id));
      }
      statuses.delete(id);
      if (status != null && status.tenant() != null && status.sizeBytes() != null) {
        // The picture's bytes no longer count against its tenant's stored bytes.
        context.forward(new Record<>(status.tenant(), -status.sizeBytes(), nowMs));
      }
    }
    if (!gone.isEmpty()) {
      log.info("retention: deleted {} statuses and their blobs, last updated over {} ago", gone.size(), retention);
    }
  }
}
