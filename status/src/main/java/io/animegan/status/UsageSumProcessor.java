package io.animegan.status;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sums each tenant's stored-bytes changes into {@link StatusTopology#TENANT_BYTES}: bytes of
 * originals submitted minus those retention deleted. Exactly-once, so a replay cannot count twice.
 */
final class UsageSumProcessor implements Processor<String, Long, Void, Void> {

  private KeyValueStore<String, Long> totals;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    totals = context.getStateStore(StatusTopology.TENANT_BYTES);
  }

  @Override
  public void process(Record<String, Long> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    Long before = totals.get(record.key());
    totals.put(record.key(), Math.max(0, (before == null ? 0 : before) + record.value()));
  }
}
