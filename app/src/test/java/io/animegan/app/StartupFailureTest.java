package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.testing.TestAssets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What stops a command at start-up is said in one line on stderr with a non-zero exit code, and
 * no stack trace (neither from the command line nor from the logging) unless --verbose asks for it.
 * Each case runs the real command line in this JVM.
 */
class StartupFailureTest {

    /**
     * What "at once" means here: under the 10 s a command waits for a broker, which is what these
     * checks tell apart from stopping before it; short of that, a loaded machine may take its time.
     */
    private static final Duration AT_ONCE = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    /** What one execution printed: stderr (the line, and the logging in production) and stdout (the tests' logging). */
    record Outcome(int exit, String err, String console, Duration took) {
        List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    static Outcome execute(String... args) {
        CommandLine command = Main.commandLine();
        // Logback's console appenders write to whatever System.out / System.err are at the time.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        long start = System.nanoTime();
        int exit;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = command.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Outcome outcome = new Outcome(
                exit,
                err.toString(StandardCharsets.UTF_8),
                console.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start));
        oldOut.println("animegan " + String.join(" ", args) + " -> exit " + exit + " in "
                + outcome.took().toMillis() + " ms\n  stderr: " + outcome.err().strip() + "\n  console: "
                + outcome.console().strip());
        return outcome;
    }

    /** One line starting with "animegan: " on stderr, no stack trace anywhere, the given exit code. */
    static void assertOneLine(Outcome outcome, int exit, String... expected) {
        assertThat(outcome.exit()).isEqualTo(exit);
        assertThat(outcome.errLines()).hasSize(1);
        assertThat(outcome.errLines().get(0)).startsWith("animegan: ").contains(expected);
        assertThat(outcome.err()).doesNotContain("at io.animegan").doesNotContain("Exception");
        assertThat(outcome.console())
                .doesNotContain("at io.animegan")
                .doesNotContain("\tat ")
                .doesNotContain(" ERROR ");
    }

    static String[] s3(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--s3-access-key", "test", "--s3-secret-key", "test-secret"));
        return all.toArray(String[]::new);
    }

    private Path emptyModels() throws IOException {
        return Files.createDirectories(dir.resolve("no-models"));
    }

    /** A port nobody listens on now. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ServerSocket listening() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        return socket;
    }

    @Test
    void missingModelStopsRunAndStageWithOneLine() throws IOException {
        Path models = emptyModels();
        Outcome run = execute(
                "run", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--models", models.toString());
        assertOneLine(
                run,
                1,
                "model file 'retinaface-mobilenet0.25.onnx' not found in " + models.toAbsolutePath(),
                "--models",
                "ANIMEGAN_MODELS_DIR");
        assertThat(run.took()).isLessThan(AT_ONCE);

        Outcome stage = execute(s3(
                "stage", "stylize", "--models", models.toString(), "--bootstrap-servers", "127.0.0.1:" + closedPort()));
        assertOneLine(stage, 1, "model file 'animeganv2-hayao-int8-fast.onnx' not found in " + models.toAbsolutePath());
        // Before it waits for a broker.
        assertThat(stage.took()).isLessThan(AT_ONCE);
    }

    @Test
    void verbosePrintsTheStackTraceToo() throws IOException {
        Outcome outcome = execute(
                "run",
                "--verbose",
                "--port",
                "0",
                "--data-dir",
                dir.resolve("data").toString(),
                "--models",
                emptyModels().toString());
        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.errLines().get(0))
                .startsWith("animegan: model file 'retinaface-mobilenet0.25.onnx' not found");
        assertThat(outcome.err()).contains("ModelNotFoundException").contains("at io.animegan");

        Outcome before = execute("--verbose", "run", "--port", "nope");
        assertThat(before.exit()).isEqualTo(2);
        assertThat(before.err()).contains("at picocli");
    }

    @Test
    void portInUseStopsEveryServingCommandWithOneLine() throws IOException {
        try (ServerSocket taken = listening()) {
            String port = String.valueOf(taken.getLocalPort());
            Outcome run = execute(
                    "run",
                    "--port",
                    port,
                    "--data-dir",
                    dir.resolve("data").toString(),
                    "--models",
                    TestAssets.modelsDir().toString());
            assertOneLine(run, 1, "port " + port + " on 127.0.0.1 is already in use", "--port");
            assertThat(run.took()).isLessThan(AT_ONCE);

            Outcome ingest = execute(s3("ingest", "--port", port, "--bootstrap-servers", "127.0.0.1:" + closedPort()));
            assertOneLine(ingest, 1, "port " + port + " on 127.0.0.1 is already in use", "--port");

            Outcome stage = execute(
                    s3("stage", "blend", "--metrics-port", port, "--bootstrap-servers", "127.0.0.1:" + closedPort()));
            assertOneLine(stage, 1, "port " + port + " on 0.0.0.0 is already in use", "--metrics-port");

            Outcome infra = execute(
                    "infra",
                    "--kafka-port",
                    port,
                    "--s3-port",
                    "0",
                    "--data-dir",
                    dir.resolve("infra").toString());
            assertOneLine(infra, 1, "port " + port + " on 0.0.0.0 is already in use", "--kafka-port");
        }
    }

    @Test
    void badOptionValueIsOneUsageLine() {
        Outcome port = execute("run", "--port", "eighty");
        assertOneLine(port, 2, "Invalid value for option '--port'", "'eighty'", "see 'animegan run --help'");

        Outcome stage = execute("stage", "paint");
        assertOneLine(stage, 2, "paint", "see 'animegan stage --help'");

        Outcome unknown = execute("ingest", "--no-such-option");
        assertOneLine(unknown, 2, "--no-such-option");
    }
}
