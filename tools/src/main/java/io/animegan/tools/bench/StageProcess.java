package io.animegan.tools.bench;

import io.animegan.app.StageName;
import io.animegan.app.launch.AnimeganJvm;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.metrics.ResidentMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stage as its own process ({@code animegan stage <name>}, with the {@code animegan} script's
 * JVM options) against a running embedded cluster, so a bench can read that process's
 * own peak resident memory and CPU time from /proc.
 */
final class StageProcess implements AutoCloseable {

    private final Process process;
    private final StageName stage;
    private final Path log;

    private StageProcess(Process process, StageName stage, Path log) {
        this.process = process;
        this.stage = stage;
        this.log = log;
    }

    /**
     * @param log where the process's output goes
     * @param options more options of {@code animegan stage}, after the connection's
     */
    static StageProcess start(StageName stage, PipelineConfig config, int partitions, Path log, String... options)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "stage",
                stage.name(),
                "--bootstrap-servers",
                config.bootstrapServers(),
                "--s3-endpoint",
                config.storage().endpoint(),
                "--s3-bucket",
                config.storage().bucket(),
                "--models",
                config.modelsDir().toString(),
                "--generator-model",
                config.generatorModel(),
                "--partitions",
                String.valueOf(partitions),
                "--state-dir",
                config.stateDir().resolve("separate-" + stage).toString()));
        args.addAll(List.of(options));
        if (config.kafkaClient().source() != null) {
            args.addAll(List.of("--kafka-config", config.kafkaClient().source().toString()));
        }
        Path argFile = log.resolveSibling(log.getFileName() + ".args");
        ProcessBuilder builder = AnimeganJvm.builder(argFile, AnimeganJvm.DEFAULT_OPTIONS, args)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Credentials through the environment, never the command line (it shows in process lists).
        builder.environment().put("ANIMEGAN_S3_ACCESS_KEY", config.storage().accessKey());
        builder.environment().put("ANIMEGAN_S3_SECRET_KEY", config.storage().secretKey());
        return new StageProcess(builder.start(), stage, log);
    }

    /** Waits for the line {@code StageCommand} prints once the stage runs; fails early if the process ends. */
    void awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String started = stage + " stage started";
        while (!Files.exists(log) || !Files.readString(log).contains(started)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        stage + " stage process did not start (exit " + exitCode() + "), see " + log);
            }
            Thread.sleep(200);
        }
    }

    private String exitCode() {
        return process.isAlive() ? "none yet" : String.valueOf(process.exitValue());
    }

    /** A line of the process's status in KiB (ResidentMemory.PEAK: peak resident memory), 0 where there is none. */
    long statusKiB(String field) {
        return ResidentMemory.kib(process.pid(), field);
    }

    /** CPU time of the whole process so far (user and system). */
    long cpuMs() {
        return ResidentMemory.cpuMs(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
