package io.animegan.common.trace;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * The ids every log line of one picture's work carries (SLF4J MDC), for as long as this is open.
 * Closing removes them all, so a record's ids never leak onto the next record's lines. The trace
 * and span ids are those of the OpenTelemetry span doing the work.
 */
public final class LogContext implements AutoCloseable {

    public static final String IMAGE_ID = "imageId";
    public static final String JOB_ID = "jobId";
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private LogContext() {}

    /** @param jobId null for a picture outside any job */
    public static LogContext open(String imageId, String jobId, SpanContext span) {
        MDC.put(IMAGE_ID, imageId);
        if (jobId != null) {
            MDC.put(JOB_ID, jobId);
        }
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
        }
        return new LogContext();
    }

    @Override
    public void close() {
        MDC.remove(IMAGE_ID);
        MDC.remove(JOB_ID);
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }
}
