package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.app.launch.AnimeganJvm;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.video.PipelineClips;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: the client jar alone, with its own dependencies, converts a photo and a clip against
 * a running {@code animegan run}. Each program is a single source file run by the {@code java} launcher with
 * nothing but {@code animegan-client.jar} on its class path (its manifest names {@code lib/}), so
 * a dependency on any server module would fail it at compile or run time.
 */
class ClientJarIT {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** The quickest generator, so drawing the clip costs the test little. */
    private static final String CLIP_STYLE = "animeganv3-cute-tiny";
    /** Two seconds at the test clips' 25 fps. */
    private static final int CLIP_FRAMES = 50;

    @TempDir
    Path dir;

    @Test
    void theClientJarAloneConvertsAPhotoAndAClipAgainstARunningService() throws Exception {
        Path jar = clientJar();
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(CLIP_STYLE + ".onnx");
        Path photo = TestAssets.requireSample("portrait-headphones.jpg");
        Path clip = PipelineClips.withSound(dir.resolve("pattern.mp4"), 160, 120, CLIP_FRAMES);
        int port = freePort();
        try (AnimeganProcess service = AnimeganProcess.start(
                "run",
                dir,
                "3g",
                Map.of(),
                List.of(
                        "run",
                        "--port",
                        String.valueOf(port),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--models",
                        models.toString(),
                        "--partitions",
                        "1"))) {
            service.awaitLog("animegan-stream ready in", Duration.ofMinutes(3));

            String base = "http://localhost:" + port;
            Path out = dir.resolve("portrait.anime.png");
            String log = runClient(jar, "ConvertPhoto", List.of(base, photo.toString(), out.toString()), service);

            byte[] png = Files.readAllBytes(out);
            assertThat(png).startsWith(PNG_SIGNATURE);
            BufferedImage picture = ImageIO.read(out.toFile());
            assertThat(Math.max(picture.getWidth(), picture.getHeight())).isEqualTo(512);
            assertThat(log).contains("image/png");

            Path clipOut = dir.resolve("pattern.anime.mp4");
            String clipLog = runClient(
                    jar, "ConvertClip", List.of(base, clip.toString(), CLIP_STYLE, clipOut.toString()), service);
            assertThat(clipLog).contains(" done " + CLIP_FRAMES + " frames");
            assertThat(PipelineClips.frameCount(clipOut)).isEqualTo(CLIP_FRAMES);
            assertThat(PipelineClips.audioPackets(clipOut))
                    .as("the clip's sound is kept")
                    .isPositive();
        }
    }

    /**
     * Runs the example program {@code name} with nothing but the client jar on its class path and
     * fails the test with its output and the service's when it does not succeed.
     *
     * @return the program's output
     */
    private String runClient(Path jar, String name, List<String> args, AnimeganProcess service) throws Exception {
        Path program = Files.createDirectories(dir.resolve("program")).resolve(name + ".java");
        try (InputStream source = ClientJarIT.class.getResourceAsStream("/client-example/" + name + ".java")) {
            Files.copy(source, program);
        }
        Path logFile = dir.resolve(name + ".log");
        List<String> command =
                new ArrayList<>(List.of(AnimeganJvm.java().toString(), "-cp", jar.toString(), program.toString()));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().remove("CLASSPATH");
        Process client = builder.start();
        boolean exited = client.waitFor(6, TimeUnit.MINUTES);
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        if (!exited) {
            client.destroyForcibly();
        }
        assertThat(exited && client.exitValue() == 0)
                .as(log + "\n" + service.tail())
                .isTrue();
        return log;
    }

    /**
     * The client module's packaged jar, from the app module's directory (Maven runs the tests there):
     * the test classpath may hold the client's classes or a copy of its plain jar, never this one.
     */
    private static Path clientJar() {
        Path target = Path.of("").toAbsolutePath().resolveSibling("client").resolve("target");
        Path jar = target.resolve("animegan-client.jar");
        assertThat(jar)
                .as("the client module is packaged first (mvn -pl client,app -am verify)")
                .isRegularFile();
        assertThat(target.resolve("lib"))
                .as("the client jar's dependencies beside it")
                .isDirectory();
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
