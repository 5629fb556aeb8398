package io.animegan.status;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each stage event into its image's status in the {@link StatusTopology#STATUSES} store and
 * passes every real change downstream; an event that adds nothing writes nothing.
 */
final class FoldProcessor implements Processor<String, Object, String, StatusChange> {

  private ProcessorContext<String, StatusChange> context;
  private KeyValueStore<String, ImageStatus> statuses;

  @Override
  public void init(ProcessorContext<String, StatusChange> context) {
    this.context = context;
    this.statuses = context.getStateStore(StatusTopology.STATUSES);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() == null) {
      return;
    }
    String id = StatusFold.imageId(record.value());
    ImageStatus before = statuses.get(id);
    ImageStatus base = before != null ? before : ImageStatus.unknown(id);
    ImageStatus folded = StatusFold.apply(base, record.value(), record.timestamp());
    if (before != null && folded.equals(before)) {
      return;
    }
    ImageStatus after = folded.updatedAt(context.currentSystemTimeMs());
    statuses.put(id, after);
    context.forward(new Record<>(id, new StatusChange(before, after), record.timestamp()));
  }
}
