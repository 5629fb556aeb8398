package io.animegan.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resident memory and CPU time of a process, from {@code /proc/<pid>/status} and
 * {@code /proc/<pid>/stat}: unlike the JVM's heap figures they include ONNX Runtime's and OpenCV's
 * native buffers, which dominate a stage's memory. The one reader of those files; 0 or NaN where
 * there is no /proc (not Linux).
 */
public final class ResidentMemory {

    /** Resident set size now. */
    public static final String RSS = "VmRSS:";
    /** Resident set size at its highest so far. */
    public static final String PEAK = "VmHWM:";
    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
    public static final long TICKS_PER_SECOND = 100;

    private static final Path PROC = Path.of("/proc");

    private ResidentMemory() {}

    static void bindTo(MeterRegistry registry) {
        Gauge.builder(AnimeganMetrics.PREFIX + "process.resident.memory", () -> readBytes(RSS))
                .description("Resident set size of the process (VmRSS), native memory included")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        Gauge.builder(AnimeganMetrics.PREFIX + "process.resident.memory.peak", () -> readBytes(PEAK))
                .description("Peak resident set size of the process (VmHWM)")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
    }

    /** A "VmRSS:   123456 kB" line of this process's status, in bytes; NaN where there is none. */
    public static double readBytes(String field) {
        long kib = kib(field);
        // not Linux, or a format we do not know: report "no value" rather than a wrong one
        return kib > 0 ? kib * 1024.0 : Double.NaN;
    }

    /** A line ({@link #RSS}, {@link #PEAK}) of this process's status, in KiB; 0 where there is none. */
    public static long kib(String field) {
        return kib(PROC.resolve("self/status"), field);
    }

    /** A line ({@link #RSS}, {@link #PEAK}) of another process's status, in KiB; 0 where there is none. */
    public static long kib(long pid, String field) {
        return kib(PROC.resolve(pid + "/status"), field);
    }

    private static long kib(Path status, String field) {
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

    /** CPU time (user and system) of a whole process so far, in ms; 0 where there is none. */
    public static long cpuMs(long pid) {
        return task(PROC.resolve(pid + "/stat")).map(Task::cpuMs).orElse(0L);
    }

    /**
     * A process's or thread's {@code stat} file ({@code /proc/<pid>/stat},
     * {@code /proc/<pid>/task/<tid>/stat}): its id, name and CPU time; empty if it has gone.
     */
    public static Optional<Task> task(Path stat) {
        try {
            String text = Files.readString(stat);
            // The name is in parentheses and may contain spaces; the fields after it are space-separated.
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            String[] fields = text.substring(close + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            int id = Integer.parseInt(text.substring(0, open).trim());
            return Optional.of(new Task(id, text.substring(open + 1, close), ticks * 1000 / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no /proc, or the thread ended while being read
        }
    }

    /** One process or thread: its id, its name (Linux's {@code comm}, 15 characters) and its CPU ms. */
    public record Task(int id, String name, long cpuMs) {}
}
