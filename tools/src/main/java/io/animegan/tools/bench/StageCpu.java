package io.animegan.tools.bench;

import com.sun.management.OperatingSystemMXBean;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.common.metrics.ResidentMemory.Task;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads, read from {@code /proc/self/task}, grouped by the stage they
 * work for. Linux names a thread (its {@code comm}, 15 characters) after the Java thread, and a
 * native thread inherits the name of the thread that created it: ONNX Runtime's intra-op threads
 * of the generator are created by the stylize stream thread and so carry its name, while the face
 * models' threads are created with the sessions at start-up, on the main thread ("java").
 * Empty where there is no /proc.
 */
final class StageCpu {

    static final List<String> GROUPS = List.of("face", "stylize", "blend", "ingest", "broker, storage, JVM");
    private static final Path TASKS = Path.of("/proc/self/task");

    private final int mainTid;

    private StageCpu(int mainTid) {
        this.mainTid = mainTid;
    }

    /** To be created on the thread that runs the bench, whose own time counts as none of the stages. */
    static StageCpu onThisThread() {
        int tid = -1;
        try {
            tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self"))
                    .getFileName()
                    .toString());
        } catch (IOException | RuntimeException e) {
            // not Linux: no figures
        }
        return new StageCpu(tid);
    }

    /** Thread id to CPU ms and name, for every live thread. */
    Map<Integer, Task> snapshot() {
        Map<Integer, Task> tasks = new LinkedHashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return tasks;
        }
        try (Stream<Path> dirs = Files.list(TASKS)) {
            dirs.forEach(dir -> ResidentMemory.task(dir.resolve("stat")).ifPresent(task -> tasks.put(task.id(), task)));
        } catch (IOException e) {
            // the process is going away
        }
        return tasks;
    }

    /** CPU ms per group spent between two snapshots; threads that ended in between are not counted. */
    Map<String, Long> between(Map<Integer, Task> before, Map<Integer, Task> after) {
        Map<String, Long> ms = new LinkedHashMap<>();
        GROUPS.forEach(group -> ms.put(group, 0L));
        for (Task task : after.values()) {
            Task earlier = before.get(task.id());
            long spent = task.cpuMs() - (earlier != null ? earlier.cpuMs() : 0);
            String group = group(task);
            if (group != null) {
                ms.merge(group, spent, Long::sum);
            }
        }
        return ms;
    }

    private String group(Task task) {
        String name = task.name();
        if (task.id() == mainTid) {
            return null;
        }
        if (name.startsWith("animegan-face") || name.equals("java")) {
            return "face";
        }
        if (name.startsWith("animegan-styl")) {
            return "stylize";
        }
        if (name.startsWith("animegan-blen")) {
            return "blend";
        }
        if (name.startsWith("animegan-inge") || name.startsWith("JettyServerThr") || name.startsWith("ingest-")) {
            return "ingest";
        }
        return "broker, storage, JVM";
    }

    /** CPU time of the whole process so far, every thread's; 0 where the JVM does not report it. */
    static long processNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }
}
