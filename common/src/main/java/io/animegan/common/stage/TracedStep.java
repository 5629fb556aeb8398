package io.animegan.common.stage;

import io.animegan.common.metrics.StageMetrics;
import io.animegan.common.stage.StageTopology.Outcome;
import io.animegan.common.trace.LogContext;
import io.animegan.common.trace.TraceContext;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.Trace;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * One stage's work on one record as a span of the picture's trace: the record's ids are in the log
 * context while the stage runs, and the outcome (output or failure) goes on with a
 * {@code traceparent} naming this span. A processor rather than mapValues, because only a
 * processor sees and sets the record's headers.
 */
final class TracedStep<I extends SpecificRecordBase, O> implements FixedKeyProcessor<String, I, Outcome<O>> {

  private final String stage;
  private final StageProcessor<I, O> processor;
  private FixedKeyProcessorContext<String, Outcome<O>> context;

  TracedStep(String stage, StageProcessor<I, O> processor) {
    this.stage = stage;
    this.processor = processor;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Outcome<O>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, I> record) {
    I event = record.value();
    Headers headers = record.headers();
    TraceContext span = TraceHeaders.parent(headers, traceId(event)).child();
    try (LogContext ignored = LogContext.open(String.valueOf(event.get("imageId")), jobId(headers, event), span)) {
      Outcome<O> outcome = StageMetrics.of(stage).record(() -> StageTopology.run(stage, processor, event),
          Outcome::errorCode);
      context.forward(record.withValue(outcome).withHeaders(TraceHeaders.withSpan(headers, span)));
    }
  }

  private static String traceId(SpecificRecordBase event) {
    Object trace = event.get("trace");
    return trace instanceof Trace t ? t.getTraceId() : null;
  }

  /** From the baggage; the first event of a picture also has it as a field. */
  private static String jobId(Headers headers, SpecificRecordBase event) {
    return TraceHeaders.jobId(headers).orElseGet(() -> {
      Object field = event.getSchema().getField("jobId") == null ? null : event.get("jobId");
      return field == null ? null : field.toString();
    });
  }
}
