package io.animegan.common.stage;

import io.animegan.common.metrics.StageMetrics;
import io.animegan.common.stage.StageTopology.Outcome;
import io.animegan.common.trace.LogContext;
import io.animegan.common.trace.Telemetry;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.Trace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * One stage's work on one record as an OpenTelemetry span ({@code face-stage process}, kind
 * CONSUMER), a child of the span named by the record's {@code traceparent}: the record's ids are in
 * the log context while the stage runs, and the outcome (output or failure) goes on with a
 * {@code traceparent} naming this span. A processor rather than mapValues, because only a
 * processor sees and sets the record's headers.
 */
final class TracedRecord<I extends SpecificRecordBase, O> implements FixedKeyProcessor<String, I, Outcome<O>> {

    static final AttributeKey<String> IMAGE_ID = AttributeKey.stringKey("animegan.image.id");
    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("animegan.job.id");
    static final AttributeKey<String> STYLE = AttributeKey.stringKey("animegan.style");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("animegan.error.code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");

    private final String stage;
    private final String inputTopic;
    private final StageProcessor<I, O> processor;
    private FixedKeyProcessorContext<String, Outcome<O>> context;

    TracedRecord(String stage, String inputTopic, StageProcessor<I, O> processor) {
        this.stage = stage;
        this.inputTopic = inputTopic;
        this.processor = processor;
    }

    /** The span's name: {@code face-stage process}. */
    static String spanName(String stage) {
        return stage + "-stage process";
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Outcome<O>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, I> record) {
        I event = record.value();
        Headers headers = record.headers();
        Context parent = TraceHeaders.extract(headers, traceId(event));
        String imageId = String.valueOf(event.get("imageId"));
        String jobId = jobId(parent, event);
        var builder = Telemetry.tracer()
                .spanBuilder(spanName(stage))
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_OPERATION, "process")
                .setAttribute(MESSAGING_DESTINATION, inputTopic)
                .setAttribute(IMAGE_ID, imageId);
        if (jobId != null) {
            builder.setAttribute(JOB_ID, jobId);
        }
        String style = style(event);
        if (style != null) {
            builder.setAttribute(STYLE, style);
        }
        Span span = builder.startSpan();
        Context current = parent.with(span);
        try (Scope ignored = current.makeCurrent();
                LogContext logs = LogContext.open(imageId, jobId, span.getSpanContext())) {
            Outcome<O> outcome =
                    StageMetrics.of(stage).record(() -> StageTopology.run(stage, processor, event), Outcome::errorCode);
            if (outcome.failure() != null) {
                span.setAttribute(ERROR_CODE, outcome.errorCode());
                span.setAttribute(ERROR_TYPE, outcome.errorCode());
                span.setStatus(
                        StatusCode.ERROR, String.valueOf(outcome.failure().getMessage()));
            }
            context.forward(record.withValue(outcome).withHeaders(TraceHeaders.with(headers, current)));
        } catch (RuntimeException | Error e) {
            // A transient failure (storage outage): the record is read again, under a span of its own.
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }

    /** The picture's style, from the options the event carries (every event before the result has them). */
    private static String style(SpecificRecordBase event) {
        if (event.getSchema().getField("options") == null
                || !(event.get("options") instanceof SpecificRecordBase options)
                || options.getSchema().getField("style") == null) {
            return null;
        }
        Object style = options.get("style");
        return style == null ? null : style.toString();
    }

    private static String traceId(SpecificRecordBase event) {
        Object trace = event.get("trace");
        return trace instanceof Trace t ? t.getTraceId() : null;
    }

    /** From the baggage; the first event of a picture also has it as a field. */
    private static String jobId(Context context, SpecificRecordBase event) {
        return TraceHeaders.jobId(context).orElseGet(() -> {
            Object field = event.getSchema().getField("jobId") == null ? null : event.get("jobId");
            return field == null ? null : field.toString();
        });
    }
}
