package io.animegan.tools.bench;

import io.animegan.client.AnimeganClient;
import io.animegan.client.ImageOptions;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.tools.ScratchDirs;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded system's resident memory as a user meets it: {@code animegan run} started through a
 * launcher script as a child process, the sample photos submitted at once in the given styles with
 * faces on, then left idle. Each variant (launcher, JVM options, environment) runs in turn in one
 * bench run, so their figures share the machine's load.
 */
final class MemoryBench {

    /** How often the child's resident memory is sampled. */
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final List<Variant> variants;
    private final Path models;
    private final List<Path> photos;
    private final List<String> styles;
    private final int maxSide;
    private final Duration idle;

    MemoryBench(
            List<Variant> variants, Path models, List<Path> photos, List<String> styles, int maxSide, Duration idle) {
        this.variants = variants;
        this.models = models;
        this.photos = photos;
        this.styles = styles;
        this.maxSide = maxSide;
        this.idle = idle;
    }

    /**
     * One way to start the system: a launcher script ({@code animegan}), the JVM options it gets
     * through {@code ANIMEGAN_JAVA_OPTS} (none: the launcher's own default) and more environment.
     */
    record Variant(String label, Path launcher, List<String> jvmOptions, Map<String, String> environment) {

        /**
         * {@code label=token token ...}: a token {@code launcher=PATH} picks the launcher script, a
         * token starting with {@code -} is a JVM option, {@code NAME=VALUE} goes to the environment.
         */
        static Variant parse(String spec, Path defaultLauncher) {
            int eq = spec.indexOf('=');
            String label = eq < 0 ? spec : spec.substring(0, eq);
            Path launcher = defaultLauncher;
            List<String> options = new ArrayList<>();
            Map<String, String> environment = new LinkedHashMap<>();
            for (String token : (eq < 0 ? "" : spec.substring(eq + 1)).trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.startsWith("-")) {
                    options.add(token);
                } else if (token.startsWith("launcher=")) {
                    launcher = Path.of(token.substring("launcher=".length()));
                } else if (token.contains("=")) {
                    environment.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
                } else {
                    throw new IllegalArgumentException("--memory-variant token '" + token
                            + "' is neither a JVM option (-...), launcher=PATH nor NAME=VALUE");
                }
            }
            return new Variant(label, launcher, List.copyOf(options), Map.copyOf(environment));
        }
    }

    /** What one variant measured; memory in KiB, CPU of the whole process during the load. */
    record Result(
            Variant variant,
            int pictures,
            double seconds,
            long cpuMs,
            long startedKiB,
            long peakKiB,
            long doneKiB,
            long idleKiB,
            String load) {

        double picturesPerSecond() {
            return pictures / seconds;
        }
    }

    int run() throws Exception {
        List<Result> results = new ArrayList<>();
        for (Variant variant : variants) {
            Result result = measure(variant);
            results.add(result);
            System.out.printf(
                    "%s: %d pictures in %.1f s, peak %d MiB, idle %d MiB%n",
                    variant.label(),
                    result.pictures(),
                    result.seconds(),
                    result.peakKiB() / 1024,
                    result.idleKiB() / 1024);
        }
        printTable(results);
        return 0;
    }

    private Result measure(Variant variant) throws Exception {
        Path dir = Files.createTempDirectory("animegan-memory");
        Path log = dir.resolve("run.log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(
                        variant.launcher().toString(),
                        "run",
                        "--port",
                        String.valueOf(port),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--models",
                        models.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (!variant.jvmOptions().isEmpty()) {
            builder.environment().put("ANIMEGAN_JAVA_OPTS", String.join(" ", variant.jvmOptions()));
        } else {
            builder.environment().remove("ANIMEGAN_JAVA_OPTS");
        }
        builder.environment().putAll(variant.environment());
        System.out.printf("%s: starting %s (log %s)%n", variant.label(), variant.launcher(), log);
        Process process = builder.start();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            awaitReady(process, log);
            // The launcher execs java, so the script's pid is the JVM's.
            long pid = process.pid();
            AtomicLong peak = new AtomicLong();
            sampler.scheduleAtFixedRate(
                    () -> peak.accumulateAndGet(ResidentMemory.kib(pid, ResidentMemory.PEAK), Math::max),
                    0,
                    SAMPLE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            long startedKiB = ResidentMemory.kib(pid, ResidentMemory.RSS);
            AnimeganClient client = new AnimeganClient("http://localhost:" + port);
            ImageOptions options = ImageOptions.defaults()
                    .withStyles(styles.toArray(String[]::new))
                    .withFaces(true)
                    .withMaxSide(maxSide);
            long cpuBefore = ResidentMemory.cpuMs(pid);
            long start = System.nanoTime();
            List<String> ids = client.submitImages(photos, options).stream()
                    .map(AnimeganClient.Image::id)
                    .toList();
            client.awaitFinished(ids, Duration.ofMinutes(30), (id, status) -> {
                if (!status.path("status").asText().equals("done")) {
                    throw new IllegalStateException(variant.label() + ": " + id + " failed: " + status.path("error"));
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpuMs = ResidentMemory.cpuMs(pid) - cpuBefore;
            String load = loadAverage();
            long doneKiB = ResidentMemory.kib(pid, ResidentMemory.RSS);
            Thread.sleep(idle.toMillis()); // the idle time is what is measured, not a wait for a condition
            long idleKiB = ResidentMemory.kib(pid, ResidentMemory.RSS);
            peak.accumulateAndGet(ResidentMemory.kib(pid, ResidentMemory.PEAK), Math::max);
            return new Result(variant, ids.size(), seconds, cpuMs, startedKiB, peak.get(), doneKiB, idleKiB, load);
        } finally {
            sampler.shutdownNow();
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // The log stays for a look at a failed variant; the broker's and storage's data go.
            ScratchDirs.deleteRecursively(dir.resolve("data"));
        }
    }

    /** Waits for the line {@code RunCommand} logs once the system serves; fails early if the process ends. */
    private static void awaitReady(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains("animegan-stream ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("animegan run did not start, see " + log);
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    private static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.exists(loadavg)) {
            return "unknown";
        }
        String[] fields = Files.readString(loadavg).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private void printTable(List<Result> results) {
        System.out.printf(
                "%n%d photos x %d styles at %d px, faces on, all submitted at once; idle = %d s after the last "
                        + "picture%n",
                photos.size(), styles.size(), maxSide, idle.toSeconds());
        System.out.println("| variant | peak RSS (MiB) | RSS when done | RSS idle | RSS at start | pictures/s | "
                + "ratio | CPU s per picture | load average |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        double first = results.get(0).picturesPerSecond();
        for (Result r : results) {
            System.out.printf(
                    "| %s | %d | %d | %d | %d | %.3f | %.3f | %.2f | %s |%n",
                    r.variant().label(),
                    r.peakKiB() / 1024,
                    r.doneKiB() / 1024,
                    r.idleKiB() / 1024,
                    r.startedKiB() / 1024,
                    r.picturesPerSecond(),
                    r.picturesPerSecond() / first,
                    r.cpuMs() / 1e3 / r.pictures(),
                    r.load());
        }
    }
}
