package io.animegan.common.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    private static final String UUID_TRACE = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void aPicturesFirstRecordCarriesItsSpanAndJob() {
        Span span = Telemetry.tracer().spanBuilder("ingest").setNoParent().startSpan();
        Headers headers = TraceHeaders.of(TraceHeaders.withJob(Context.root().with(span), "job 1+2,x"));
        assertThat(value(headers, TraceHeaders.TRACEPARENT))
                .as("W3C layout, sampled (01; 03 adds 'random trace id')")
                .matches("00-" + span.getSpanContext().getTraceId() + "-"
                        + span.getSpanContext().getSpanId() + "-0[13]");
        Context read = TraceHeaders.extract(headers, "other");
        assertThat(Span.fromContext(read).getSpanContext().getSpanId())
                .isEqualTo(span.getSpanContext().getSpanId());
        assertThat(Span.fromContext(read).getSpanContext().isRemote()).isTrue();
        assertThat(TraceHeaders.jobId(read)).contains("job 1+2,x");
        assertThat(TraceHeaders.of(Context.root().with(span)).headers(TraceHeaders.BAGGAGE))
                .isEmpty();
        assertThat(headers.headers("tracestate"))
                .as("only when there is a trace state")
                .isEmpty();
    }

    @Test
    void theJobIsFoundAmongOtherBaggage() {
        Headers headers = new RecordHeaders()
                .add(TraceHeaders.BAGGAGE, bytes("userId=alice"))
                .add(TraceHeaders.BAGGAGE, bytes("a=1, jobId = j%2D7;ttl=5 ,b=2"));
        assertThat(TraceHeaders.jobId(TraceHeaders.extract(headers, null))).contains("j-7");
        assertThat(TraceHeaders.jobId(TraceHeaders.extract(new RecordHeaders().add(TraceHeaders.BAGGAGE, null), null)))
                .isEmpty();
    }

    @Test
    void withoutAValidHeaderTheEventsOwnTraceIdIsUsed() {
        Headers garbage = new RecordHeaders().add(TraceHeaders.TRACEPARENT, bytes("00-nonsense"));
        assertThat(traceId(TraceHeaders.extract(garbage, "0af76519-16cd-43dd-8448-eb211c80319c")))
                .isEqualTo(UUID_TRACE);
        assertThat(traceId(TraceHeaders.extract(new RecordHeaders(), UUID_TRACE)))
                .isEqualTo(UUID_TRACE);
        assertThat(Span.fromContext(TraceHeaders.extract(garbage, "not-a-trace"))
                        .getSpanContext()
                        .isValid())
                .as("nothing to continue: the stage's span starts a new trace")
                .isFalse();
        Headers zeros = new RecordHeaders()
                .add(TraceHeaders.TRACEPARENT, bytes("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
        assertThat(TraceHeaders.traceId(zeros)).isEmpty();
    }

    @Test
    void anOutputGetsItsOwnSpanAndKeepsTheOtherHeaders() {
        Span parent = Telemetry.tracer().spanBuilder("ingest").setNoParent().startSpan();
        RecordHeaders input = (RecordHeaders)
                TraceHeaders.of(TraceHeaders.withJob(Context.root().with(parent), "j-1"));
        input.add("other", bytes("kept"));
        input.setReadOnly();
        Context extracted = TraceHeaders.extract(input, null);
        Span span = Telemetry.tracer().spanBuilder("face").setParent(extracted).startSpan();
        Headers output = TraceHeaders.with(input, extracted.with(span));
        assertThat(output.headers(TraceHeaders.TRACEPARENT)).hasSize(1);
        SpanContext written =
                Span.fromContext(TraceHeaders.extract(output, null)).getSpanContext();
        assertThat(written.getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
        assertThat(written.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(TraceHeaders.jobId(TraceHeaders.extract(output, null))).contains("j-1");
        assertThat(value(output, "other")).isEqualTo("kept");
        assertThat(Span.fromContext(TraceHeaders.extract(input, null))
                        .getSpanContext()
                        .getSpanId())
                .as("the input is left as it was")
                .isEqualTo(parent.getSpanContext().getSpanId());
    }

    private static String traceId(Context context) {
        return Span.fromContext(context).getSpanContext().getTraceId();
    }

    private static String value(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
