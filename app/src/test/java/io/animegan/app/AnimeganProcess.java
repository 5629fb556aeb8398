package io.animegan.app;

import io.animegan.app.launch.AnimeganJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code animegan} command in its own JVM, configured only by options and environment as an
 * operator would run it. Its output goes to {@code <name>.log}; a restart appends to it.
 */
final class AnimeganProcess implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final Path argFile;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Map<String, String> env;
    private Process process;

    private AnimeganProcess(
            String name, Path dir, Path argFile, List<String> jvmOptions, List<String> args, Map<String, String> env) {
        this.name = name;
        this.dir = dir;
        this.argFile = argFile;
        this.jvmOptions = jvmOptions;
        this.args = args;
        this.env = env;
    }

    /** The environment of a stage process on {@code kafka} and {@code s3}, with the test's topics. */
    static Map<String, String> stageEnv(
            String bootstrapServers,
            String s3Endpoint,
            String accessKey,
            String secretKey,
            String prefix,
            int partitions) {
        return Map.of(
                "ANIMEGAN_BOOTSTRAP_SERVERS",
                bootstrapServers,
                "ANIMEGAN_S3_ENDPOINT",
                s3Endpoint,
                "ANIMEGAN_S3_ACCESS_KEY",
                accessKey,
                "ANIMEGAN_S3_SECRET_KEY",
                secretKey,
                "ANIMEGAN_TOPIC_PREFIX",
                prefix,
                "ANIMEGAN_PARTITIONS",
                String.valueOf(partitions));
    }

    /**
     * {@code animegan stage <stage>} with 1 GB of heap and one ONNX thread, configured by {@code env}
     * (see {@link #stageEnv}), its state in {@link #stateDir} so a restart keeps its identity.
     */
    static AnimeganProcess stage(String stage, Path dir, Map<String, String> env, Path models) throws IOException {
        return start(
                stage,
                dir,
                "1g",
                env,
                List.of(
                        "stage",
                        stage,
                        "--models",
                        models.toString(),
                        "--onnx-threads",
                        "1",
                        "--state-dir",
                        stateDir(dir, stage).toString()));
    }

    /** Where {@link #stage} keeps the state of {@code stage}. */
    static Path stateDir(Path dir, String stage) {
        return dir.resolve("state-" + stage);
    }

    /** Starts {@code animegan <args>} as {@code java -Xss4m -Xmx<heap> -cp <test class path> Main <args>}. */
    static AnimeganProcess start(String name, Path dir, String heap, Map<String, String> env, List<String> args)
            throws IOException {
        // The production logging configuration, not the tests' quieter one. Its own temporary
        // directory: default state directories never meet those of a process another test JVM runs.
        Path tmp = Files.createDirectories(dir.resolve(name + "-tmp"));
        List<String> jvmOptions =
                List.of("-Xss4m", "-Xmx" + heap, "-Dlogback.configurationFile=logback.xml", "-Djava.io.tmpdir=" + tmp);
        AnimeganProcess p = new AnimeganProcess(name, dir, dir.resolve(name + ".args"), jvmOptions, args, env);
        p.launch();
        // No stray JVMs when the test JVM itself is stopped.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> p.process.destroyForcibly()));
        return p;
    }

    private void launch() throws IOException {
        ProcessBuilder builder = AnimeganJvm.builder(argFile, jvmOptions, args)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    String name() {
        return name;
    }

    Path log() {
        return dir.resolve(name + ".log");
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no clean leave, an open transaction left as it is. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the same command again, with the same options, environment and state directory. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    /** Waits until the log shows {@code text}; fails early if the process exits. */
    void awaitLog(String text, Duration timeout) throws IOException {
        try {
            Awaitility.await(name + " printing '" + text + "'")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (output().contains(text)) {
                            return true;
                        }
                        if (!process.isAlive()) {
                            throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing '"
                                    + text + "':\n" + tail());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not print '" + text + "' within " + timeout + ":\n" + tail(), e);
        }
    }

    String output() throws IOException {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    }

    String tail() throws IOException {
        String text = output();
        return "--- " + name + " ---\n" + text.substring(Math.max(0, text.length() - 4000));
    }

    /** Stops it as Ctrl-C would (SIGTERM), forcibly if it takes too long. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
