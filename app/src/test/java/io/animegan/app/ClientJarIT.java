package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.app.launch.AnimeganJvm;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: the client jar alone, with its own dependencies, converts a photo against a running
 * {@code animegan run}. The program is a single source file run by the {@code java} launcher with
 * nothing but {@code animegan-client.jar} on its class path (its manifest names {@code lib/}), so
 * a dependency on any server module would fail it at compile or run time.
 */
class ClientJarIT {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void theClientJarAloneConvertsAPhotoAgainstARunningService() throws Exception {
        Path jar = clientJar();
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        Path photo = TestAssets.requireSample("portrait-headphones.jpg");
        Path program = Files.createDirectories(dir.resolve("program")).resolve("ConvertPhoto.java");
        try (InputStream source = ClientJarIT.class.getResourceAsStream("/client-example/ConvertPhoto.java")) {
            Files.copy(source, program);
        }
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

            Path out = dir.resolve("portrait.anime.png");
            ProcessBuilder builder = new ProcessBuilder(
                            AnimeganJvm.java().toString(),
                            "-cp",
                            jar.toString(),
                            program.toString(),
                            "http://localhost:" + port,
                            photo.toString(),
                            out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("client.log").toFile());
            builder.environment().remove("CLASSPATH");
            Process client = builder.start();
            boolean exited = client.waitFor(6, TimeUnit.MINUTES);
            String log = Files.readString(dir.resolve("client.log"), StandardCharsets.UTF_8);
            if (!exited) {
                client.destroyForcibly();
            }
            assertThat(exited && client.exitValue() == 0)
                    .as(log + "\n" + service.tail())
                    .isTrue();

            byte[] png = Files.readAllBytes(out);
            assertThat(png).startsWith(PNG_SIGNATURE);
            BufferedImage picture = ImageIO.read(out.toFile());
            assertThat(Math.max(picture.getWidth(), picture.getHeight())).isEqualTo(512);
            assertThat(log).contains("image/png");
        }
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
