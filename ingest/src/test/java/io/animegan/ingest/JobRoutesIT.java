package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.EventSerdes;
import io.animegan.events.ImageSubmitted;
import io.animegan.ingest.contract.ContractValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/jobs} with S3 keys and {@code GET /api/jobs/{id}} against a real broker and S3 server. */
class JobRoutesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static BlobStore store;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        infra = Infra.start(dir);
        server = IngestServer.start(infra.config, new IngestSettings(0, 300_000));
        store = new BlobStore(infra.config.storage());
        store.put("tenants/anonymous/uploads/group.jpg", TestAssets.sampleBytes("group-of-three.jpg"), "image/jpeg");
        store.put(
                "tenants/anonymous/uploads/notes.jpg", "not a picture".getBytes(StandardCharsets.UTF_8), "image/jpeg");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    static HttpResponse<byte[]> postJob(Object body) throws Exception {
        return ContractValidator.instance()
                .check(client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/api/jobs"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return ContractValidator.instance()
                .check(client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void keysInTheBucketMakeAJobWhoseBadPictureIsNamedAndLeftOut() throws Exception {
        HttpResponse<byte[]> response = postJob(Map.of(
                "keys",
                        List.of(
                                "tenants/anonymous/uploads/group.jpg",
                                "s3://" + store.bucket() + "/tenants/anonymous/uploads/notes.jpg"),
                "options", Map.of("maxSide", 256, "faces", false)));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        JsonNode created = json(response);
        String job = created.path("job").asText();
        assertThat(created.path("images")).hasSize(1);
        String imageId = created.path("images").get(0).path("id").asText();
        assertThat(created.path("images").get(0).path("name").asText()).isEqualTo("group.jpg");
        assertThat(created.path("refused")).hasSize(1);
        assertThat(created.path("refused").get(0).path("name").asText())
                .isEqualTo("s3://" + store.bucket() + "/tenants/anonymous/uploads/notes.jpg");

        ImageSubmitted event = infra.records(infra.topics().submitted().name()).stream()
                .filter(r -> r.key().equals(imageId))
                .findFirst()
                .map(r -> EventSerdes.imageSubmitted().deserialize(r.topic(), r.value()))
                .orElseThrow();
        assertThat(event.getJobId()).isEqualTo(job);
        assertThat(event.getJobSize()).isEqualTo(1);
        assertThat(event.getOptions().getMaxSide()).isEqualTo(256);
        assertThat(event.getOptions().getFaces()).isFalse();
        assertThat(event.getSource().getKey())
                .as("the service keeps its own copy")
                .isNotEqualTo("tenants/anonymous/uploads/group.jpg");

        await("job " + job + " known", () -> {
            try {
                return get("/api/jobs/" + job).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode view = json(get("/api/jobs/" + job));
        assertThat(view.path("id").asText()).isEqualTo(job);
        assertThat(view.path("total").asInt()).isEqualTo(1);
        assertThat(view.path("pending").asInt()).isEqualTo(1);
        assertThat(view.path("done").asInt()).isZero();
        assertThat(view.path("etaSeconds").isNull()).isTrue();
        assertThat(view.path("images")).extracting(JsonNode::asText).containsExactly(imageId);
        await("image status", () -> {
            try {
                return get("/api/images/" + imageId).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(json(get("/api/images/" + imageId)).path("job").asText()).isEqualTo(job);
        assertThat(get("/api/jobs/" + job + "/results.zip").statusCode())
                .as("nothing finished yet")
                .isEqualTo(409);
    }

    @Test
    void keysMissingOrOutsideTheBucketAreRefused() throws Exception {
        assertError(
                postJob(Map.of(
                        "keys",
                        List.of("tenants/anonymous/uploads/group.jpg", "tenants/anonymous/uploads/absent.jpg"))),
                400,
                "tenants/anonymous/uploads/absent.jpg");
        assertError(
                postJob(Map.of("keys", List.of("s3://someone-else/tenants/anonymous/uploads/group.jpg"))),
                400,
                "someone-else");
        assertError(postJob(Map.of("keys", List.of())), 400, "keys");
        // Outside the caller's input prefix (here anonymous's): refused from the key alone, existing or not.
        assertError(
                postJob(Map.of("keys", List.of("inputs/x/original"))),
                400,
                "outside your input prefix tenants/anonymous/uploads/");
        assertError(postJob(Map.of("keys", List.of("tenants/anonymous/uploads/../other/a.jpg"))), 400, "outside");
        assertError(
                postJob(Map.of(
                        "keys", List.of("tenants/anonymous/uploads/group.jpg"), "options", Map.of("maxSide", 5))),
                400,
                "maxSide");
        assertError(get("/api/jobs/no-such-job"), 404, "no-such-job");
    }

    static void assertError(HttpResponse<byte[]> response, int status, String mention) throws Exception {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(json(response).path("error").asText()).contains(mention);
    }
}
