package io.animegan.common.trace;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A W3C trace context ({@code traceparent}): the trace one picture's work belongs to, and the span
 * (one process's step of that work) that wrote a record. Ids are lower-case hex; the version is
 * always written as 00.
 *
 * @param traceId 32 hex digits, the same for every step of one picture
 * @param spanId 16 hex digits, new for every step
 * @param flags trace flags; 01 = sampled
 */
public record TraceContext(String traceId, String spanId, String flags) {

  public static final String HEADER = "traceparent";

  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final String NO_TRACE = "0".repeat(32);
  private static final String NO_SPAN = "0".repeat(16);
  private static final String SAMPLED = "01";
  private static final HexFormat HEX = HexFormat.of();

  /** A new trace with its first span. */
  public static TraceContext root() {
    return new TraceContext(randomHex(16), randomHex(8), SAMPLED);
  }

  /**
   * The first span of the trace with this id. Events that travelled without a header still carry
   * their trace id; a UUID (how ingest wrote them before) is turned into the same 32 hex digits,
   * so every stage derives the same trace from it. Anything else starts a new trace.
   */
  public static TraceContext rootFor(String traceId) {
    String candidate = traceId == null ? "" : traceId.replace("-", "").toLowerCase();
    if (TRACE_ID.matcher(candidate).matches() && !candidate.equals(NO_TRACE)) {
      return new TraceContext(candidate, randomHex(8), SAMPLED);
    }
    return root();
  }

  /**
   * Reads a {@code traceparent} value; empty for anything the W3C rules say to ignore (unknown
   * layout, version ff, all-zero ids), never an exception: a bad header only restarts the trace.
   */
  public static Optional<TraceContext> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = TRACEPARENT.matcher(header.trim());
    if (!m.matches() || m.group(1).equals("ff") || (m.group(1).equals("00") && m.group(5) != null)
        || m.group(2).equals(NO_TRACE) || m.group(3).equals(NO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new TraceContext(m.group(2), m.group(3), m.group(4)));
  }

  /** The next step of the same trace: a new span id, the same trace id and flags. */
  public TraceContext child() {
    return new TraceContext(traceId, randomHex(8), flags);
  }

  /** The {@code traceparent} header value. */
  public String format() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    // Ids only need to be unique, not secret; all zeros is invalid, so try again (once in 2^64).
    do {
      ThreadLocalRandom.current().nextBytes(random);
    } while (isZero(random));
    return HEX.formatHex(random);
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
