package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.ImageStatus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config} in ingest with harmless entries: every client of ingest (admin, producer,
 * Streams app, changelog feed) still works against the embedded broker.
 */
class KafkaClientSettingsIngestIT {

    @TempDir
    Path dir;

    @Test
    void harmlessSettingsStillWorkEndToEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), """
        client.dns.lookup=use_all_dns_ips
        request.timeout.ms=2000
        """);
        try (Infra infra = Infra.start(dir.resolve("infra"))) {
            PipelineConfig config = infra.config.withKafkaClient(KafkaClientSettings.load(file));
            try (IngestServer server = IngestServer.start(config, new IngestSettings(0, 1_000_000))) {
                List<ImageStatus> heard = new CopyOnWriteArrayList<>();
                try (AutoCloseable feed = server.statuses().subscribe(heard::add)) {
                    HttpResponse<byte[]> accepted = new Http(server.port())
                            .post(new Multipart().file("group.jpg", TestAssets.sampleBytes("group-of-three.jpg")));
                    assertThat(accepted.statusCode()).isEqualTo(202);
                    String id = Http.json(accepted).at("/images/0/id").asText();
                    // Folded by the status app (not read from the original's metadata) and heard on the changelog feed.
                    await("status folded", () -> server.statuses().find(id).isPresent());
                    await("change heard", () -> heard.stream().anyMatch(s -> s.id().equals(id)));
                    assertThat(Http.json(new Http(server.port()).get("/api/images/" + id))
                                    .get("status")
                                    .asText())
                            .isEqualTo("queued");
                }
            }
        }
    }
}
