package io.animegan.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of the whole process from {@code /proc/self/status}: unlike the JVM's heap
 * figures it includes ONNX Runtime's and OpenCV's native buffers, which dominate a stage's memory.
 * NaN where there is no /proc (not Linux).
 */
final class ResidentMemory {

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
    try {
      List<String> lines = Files.readAllLines(STATUS);
      for (String line : lines) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a format we do not know: report "no value" rather than a wrong one
    }
    return Double.NaN;
  }
}
