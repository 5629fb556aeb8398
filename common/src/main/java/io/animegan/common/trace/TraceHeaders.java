package io.animegan.common.trace;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The trace context on Kafka records: W3C {@code traceparent} for the trace and span, and the job
 * id as a W3C {@code baggage} entry, since only the first event of a picture has a field for it.
 * Kafka Streams copies an input record's headers onto its outputs, so both reach every stage.
 */
public final class TraceHeaders {

  public static final String BAGGAGE = "baggage";
  public static final String JOB_ID = "jobId";

  private TraceHeaders() {}

  /** Headers for a picture's first record: its span, and its job when it has one. */
  public static Headers of(TraceContext span, String jobId) {
    Headers headers = new RecordHeaders().add(TraceContext.HEADER, bytes(span.format()));
    if (jobId != null) {
      headers.add(BAGGAGE, bytes(JOB_ID + "=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20")));
    }
    return headers;
  }

  /** The span that wrote the record; without a valid header, the root of the event's own trace id. */
  public static TraceContext parent(Headers headers, String eventTraceId) {
    Header last = headers.lastHeader(TraceContext.HEADER);
    return TraceContext.parse(last == null ? null : string(last))
        .orElseGet(() -> TraceContext.rootFor(eventTraceId));
  }

  /** The job named in the record's baggage, if any. */
  public static Optional<String> jobId(Headers headers) {
    for (Header header : headers.headers(BAGGAGE)) {
      for (String member : string(header).split(",")) {
        String[] entry = member.split(";", 2)[0].split("=", 2);
        if (entry.length == 2 && entry[0].trim().equals(JOB_ID)) {
          return decode(entry[1].trim());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A copy of the headers with {@code traceparent} naming this span. A copy, because the headers of
   * a record already sent are read-only, and the input's are shared with its other outputs.
   */
  public static Headers withSpan(Headers headers, TraceContext span) {
    Headers copy = new RecordHeaders(headers.toArray());
    copy.remove(TraceContext.HEADER);
    return copy.add(TraceContext.HEADER, bytes(span.format()));
  }

  private static Optional<String> decode(String value) {
    try {
      // Baggage values are percent-encoded; a literal '+' is a plus, not a space.
      return Optional.of(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String string(Header header) {
    return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
