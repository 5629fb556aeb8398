package io.animegan.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of the whole process from {@code /proc/self/status}: unlike the JVM's heap
 * figures it includes ONNX Runtime's and OpenCV's native buffers, which dominate a stage's memory.
 * NaN where there is no /proc (not Linux).
 */
public final class ResidentMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  static void bindTo(MeterRegistry registry) {
    Gauge.builder(AnimeganMetrics.PREFIX + "process.resident.memory", () -> readBytes("VmRSS:"))
        .description("Resident set size of the process (VmRSS), native memory included")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    Gauge.builder(AnimeganMetrics.PREFIX + "process.resident.memory.peak", () -> readBytes("VmHWM:"))
        .description("Peak resident set size of the process (VmHWM)")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
  }

  /** A "VmRSS:   123456 kB" line of /proc/self/status, in bytes. */
  static double readBytes(String field) {
    long kib = kib(STATUS, field);
    // not Linux, or a format we do not know: report "no value" rather than a wrong one
    return kib > 0 ? kib * 1024.0 : Double.NaN;
  }

  /**
   * A "VmHWM:   123456 kB" line of a process's status file ({@code /proc/<pid>/status}), in KiB;
   * 0 where there is no such file or line.
   */
  public static long kib(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc here, or the process has gone
    }
    return 0;
  }
}
