package io.animegan.status;

import io.animegan.common.storage.Keys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes a picture's intermediate blobs ({@code work/<id>/}) once it is done or failed. Finished
 * ids wait in {@link StatusTopology#WORK_CLEANUP} (a changelogged store, so none is forgotten over
 * a restart); a wall-clock punctuation hands a bounded chunk of them to {@link BackgroundDeletions}
 * and forgets those whose blobs are gone. While storage is down they stay queued.
 */
final class WorkCleanupProcessor implements Processor<String, StatusChange, Void, Void> {

  /** Most pictures one round hands over per partition. */
  static final int CHUNK = 200;

  private final Duration interval;
  private final BackgroundDeletions deletions;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, Long> pending;

  WorkCleanupProcessor(Duration interval, PrefixDeleter blobs, Executor executor) {
    this.interval = interval;
    this.deletions = new BackgroundDeletions("work cleanup", blobs, executor);
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
    int submitted = 0;
    try (KeyValueIterator<String, Long> it = pending.all()) {
      while (it.hasNext() && submitted < CHUNK) {
        String id = it.next().key;
        if (!deletions.submit(id, List.of(Keys.workPrefix(id)))) {
          break;
        }
        submitted++;
      }
    }
    deletions.drainDeleted().forEach(pending::delete);
  }
}
