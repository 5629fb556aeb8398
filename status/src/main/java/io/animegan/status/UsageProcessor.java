package io.animegan.status;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns the first fold of a picture's submission into a change of its tenant's stored bytes,
 * keyed by tenant (the usage topic brings one tenant's changes to one task). Retention sends the
 * matching negative change when it deletes the picture (see {@link RetentionProcessor}).
 */
final class UsageProcessor implements Processor<String, StatusChange, String, Long> {

  private ProcessorContext<String, Long> context;

  @Override
  public void init(ProcessorContext<String, Long> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, StatusChange> record) {
    StatusChange change = record.value();
    boolean newlyOwned = change.after().tenant() != null && (change.before() == null || change.before().tenant() == null);
    if (newlyOwned && change.after().sizeBytes() != null) {
      context.forward(new Record<>(change.after().tenant(), change.after().sizeBytes(), record.timestamp()));
    }
  }
}
