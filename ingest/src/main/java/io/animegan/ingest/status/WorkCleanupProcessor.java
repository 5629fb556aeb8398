package io.animegan.ingest.status;

import io.animegan.common.storage.Keys;
import io.animegan.common.storage.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a picture's intermediate blobs ({@code work/<id>/}) once it is done or failed. Finished
 * ids wait in {@link StatusTopology#WORK_CLEANUP} (a changelogged store, so none is forgotten over
 * a restart) and a wall-clock punctuation deletes them in bounded chunks, off the fold's path;
 * while storage is down they stay queued and the next round tries again.
 */
final class WorkCleanupProcessor implements Processor<String, StatusChange, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(WorkCleanupProcessor.class);
  /** Most pictures one round cleans per partition. */
  static final int CHUNK = 200;
  /** Longest one round spends deleting before it leaves the rest to the next round. */
  static final long ROUND_BUDGET_NANOS = 1_000_000_000L;

  private final Duration interval;
  private final PrefixDeleter blobs;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, Long> pending;

  WorkCleanupProcessor(Duration interval, PrefixDeleter blobs) {
    this.interval = interval;
    this.blobs = blobs;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    pending = context.getStateStore(StatusTopology.WORK_CLEANUP);
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> clean());
  }

  @Override
  public void process(Record<String, StatusChange> record) {
    if (record.value().becameFinal()) {
      pending.put(record.key(), context.currentSystemTimeMs());
    }
  }

  void clean() {
    List<String> ids = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = pending.all()) {
      while (it.hasNext() && ids.size() < CHUNK) {
        ids.add(it.next().key);
      }
    }
    long deadline = System.nanoTime() + ROUND_BUDGET_NANOS;
    for (String id : ids) {
      if (System.nanoTime() > deadline) {
        return;
      }
      try {
        blobs.deletePrefix(Keys.workPrefix(id));
      } catch (StorageException e) {
        log.warn("cannot delete the intermediate blobs of {} now ({}); next round retries", id, e.getMessage());
        return;
      }
      pending.delete(id);
    }
  }
}
