package io.animegan.common.trace;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The trace context on Kafka records, read and written by OpenTelemetry's W3C propagators:
 * {@code traceparent} (and {@code tracestate} when there is one) for the span that wrote the
 * record, and the job id as a W3C {@code baggage} entry, since only the first event of a picture
 * has a field for it. Kafka Streams copies an input record's headers onto its outputs, so both
 * reach every stage.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String BAGGAGE = "baggage";
    public static final String JOB_ID = "jobId";

    private TraceHeaders() {}

    /** Kafka record headers as a propagation carrier; the last header of a name wins. */
    public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            Set<String> keys = new LinkedHashSet<>();
            for (Header header : carrier) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header last = carrier.lastHeader(key);
            return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
        }

        /** Every header of the name, so baggage spread over several headers is all read. */
        @Override
        public Iterator<String> getAll(Headers carrier, String key) {
            List<String> values = new ArrayList<>();
            if (carrier != null) {
                for (Header header : carrier.headers(key)) {
                    if (header.value() != null) {
                        values.add(new String(header.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return values.iterator();
        }
    };

    /** Replaces any header of the same name, so a record names one span only. */
    public static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    /** {@code context} with the job as baggage (null: no job). */
    public static Context withJob(Context context, String jobId) {
        return jobId == null
                ? context
                : Baggage.fromContext(context).toBuilder()
                        .put(JOB_ID, jobId)
                        .build()
                        .storeInContext(context);
    }

    /** Headers for a picture's first record: the span current in {@code context}, and its job's baggage. */
    public static Headers of(Context context) {
        Headers headers = new RecordHeaders();
        Telemetry.propagator().inject(context, headers, SETTER);
        return headers;
    }

    /**
     * The context of the span that wrote the record. Without a valid header, the root of the event's
     * own trace id (a UUID's 32 hex digits are also a valid W3C trace id), so every stage
     * continues the same trace; without either, a context with no span, where a new trace starts.
     */
    public static Context extract(Headers headers, String eventTraceId) {
        Context context = Telemetry.propagator().extract(Context.root(), headers, GETTER);
        if (Span.fromContext(context).getSpanContext().isValid()) {
            return context;
        }
        String traceId =
                eventTraceId == null ? "" : eventTraceId.replace("-", "").toLowerCase();
        if (!TraceId.isValid(traceId)) {
            return context;
        }
        SpanContext root = SpanContext.createFromRemoteParent(
                traceId, IdGenerator.random().generateSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
        return context.with(Span.wrap(root));
    }

    /** The job named in the context's baggage, if any. */
    public static Optional<String> jobId(Context context) {
        return Optional.ofNullable(Baggage.fromContext(context).getEntryValue(JOB_ID));
    }

    /**
     * A copy of the headers naming the span current in {@code context} (and carrying its baggage).
     * A copy, because the headers of a record already sent are read-only, and the input's are shared
     * with its other outputs.
     */
    public static Headers with(Headers headers, Context context) {
        Headers copy = new RecordHeaders(headers.toArray());
        for (String field : Telemetry.propagator().fields()) {
            copy.remove(field);
        }
        Telemetry.propagator().inject(context, copy, SETTER);
        return copy;
    }

    /** The trace id in the record's {@code traceparent}, if it has a valid one. */
    public static Optional<String> traceId(Headers headers) {
        SpanContext span = Span.fromContext(Telemetry.propagator().extract(Context.root(), headers, GETTER))
                .getSpanContext();
        return span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty();
    }
}
