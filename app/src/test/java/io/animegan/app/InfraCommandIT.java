package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.contract.ContractProxy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's session on one machine: {@code animegan infra} in one process, then the three
 * stages and ingest as separate processes configured only by the lines infra prints.
 */
class InfraCommandIT {

    private static final Pattern EXPORT = Pattern.compile("^\\s*export (ANIMEGAN_\\w+)=(\"\\$\\(cat [^)]+\\)\"|\\S+)");
    private static final Pattern FROM_FILE = Pattern.compile("\"\\$\\(cat (.+)\\)\"");

    @Test
    void stagesAndIngestJoinTheInfraProcessWithWhatItPrints(@TempDir Path dir) throws Exception {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        int httpPort = freePort();
        List<AnimeganProcess> processes = new ArrayList<>();
        try {
            AnimeganProcess infra = AnimeganProcess.start(
                    "infra",
                    dir,
                    "512m",
                    Map.of(),
                    List.of(
                            "infra",
                            "--kafka-port",
                            String.valueOf(freePort()),
                            "--s3-port",
                            String.valueOf(freePort()),
                            "--data-dir",
                            dir.resolve("data").toString()));
            processes.add(infra);
            infra.awaitLog("./animegan ingest", Duration.ofSeconds(90));
            String printed = infra.output();
            Map<String, String> env = exports(printed);
            assertThat(env)
                    .containsKeys(
                            "ANIMEGAN_BOOTSTRAP_SERVERS",
                            "ANIMEGAN_S3_ENDPOINT",
                            "ANIMEGAN_S3_ACCESS_KEY",
                            "ANIMEGAN_S3_SECRET_KEY");
            assertThat(printed).as("the secret is never printed").doesNotContain(env.get("ANIMEGAN_S3_SECRET_KEY"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("data").resolve(InfraCommand.SECRET_FILE)))
                    .extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

            for (String stage : List.of("face", "stylize", "blend")) {
                processes.add(AnimeganProcess.stage(stage, dir, env, models));
            }
            AnimeganProcess ingest = AnimeganProcess.start(
                    "ingest", dir, "512m", env, List.of("ingest", "--port", String.valueOf(httpPort)));
            processes.add(ingest);
            ingest.awaitLog("ingest listening on", Duration.ofSeconds(90));

            AnimeganClient.Response result;
            try (ContractProxy contract = ContractProxy.to("http://localhost:" + httpPort)) {
                AnimeganClient client = new AnimeganClient(contract.url());
                String id = AnimeganClient.imageId(client.upload(
                        "group-of-three.jpg", TestAssets.sampleBytes("group-of-three.jpg"), Map.of("maxSide", "256")));
                JsonNode status = client.awaitFinished(id, Duration.ofMinutes(3));
                assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("done");
                result = client.get("/api/images/" + id + "/result");
                contract.assertNoMismatches();
            }
            assertThat(result.status()).isEqualTo(200);
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(result.body()));
            assertThat(Math.max(picture.getWidth(), picture.getHeight())).isEqualTo(256);
            for (AnimeganProcess p : processes) {
                assertThat(p.isAlive()).as(p.name() + " keeps running").isTrue();
            }
        } catch (AssertionError | RuntimeException e) {
            StringBuilder logs = new StringBuilder();
            for (AnimeganProcess p : processes) {
                logs.append(p.tail()).append('\n');
            }
            throw new AssertionError(e.getMessage() + "\n" + logs, e);
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
        }
    }

    /** The environment the printed {@code export} lines set, as a shell would (including {@code "$(cat file)"}). */
    static Map<String, String> exports(String printed) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : printed.split("\n")) {
            Matcher m = EXPORT.matcher(line);
            if (m.find()) {
                Matcher file = FROM_FILE.matcher(m.group(2));
                env.put(
                        m.group(1),
                        file.matches()
                                ? Files.readString(Path.of(file.group(1))).strip()
                                : m.group(2));
            }
        }
        return env;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
