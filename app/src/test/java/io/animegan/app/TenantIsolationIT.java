package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.app.TenantHttp.Answer;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.IngestSettings;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.OptionsParser;
import io.animegan.submission.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, tenant isolation, on the whole pipeline in process: tenant A's picture and job, run to
 * done, answer A with 200 on every route and tenant B with 404 carrying exactly the body an unknown
 * id gets; a job key outside B's input prefix is refused alike whether the object exists or not.
 */
class TenantIsolationIT {

    static final int SIDE = Math.max(128, OptionsParser.MIN_MAX_SIDE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static EmbeddedPipeline pipeline;
    private static TenantHttp a;
    private static TenantHttp b;

    @BeforeAll
    static void start() {
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        IngestSettings settings = IngestSettings.defaults()
                .withPort(0)
                .withRateLimit(RateLimit.OFF)
                .withApiTokens(List.of("tenant-a:token-of-a", "tenant-b:token-of-b"));
        pipeline = EmbeddedPipeline.start(
                dataDir,
                settings,
                AdmissionLimits.defaults(),
                models,
                PipelineConfig.DEFAULT_GENERATOR,
                1,
                EnumSet.allOf(StageName.class));
        a = new TenantHttp(pipeline.url(), "token-of-a");
        b = new TenantHttp(pipeline.url(), "token-of-b");
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void anotherTenantsPicturesAndJobsReadAsUnknownAndItsKeysAreRefusedAlike() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> fields = Map.of("faces", "false", "maxSide", String.valueOf(SIDE), "debug", "true");
        Answer uploaded = a.upload("/api/images", "a.jpg", GeneratedPictures.jpeg(320, 240, 1), fields);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(202);
        String image =
                JSON.readTree(uploaded.body()).path("images").get(0).path("id").asText();

        BlobStore store = new BlobStore(pipeline.config().storage());
        store.put("tenants/tenant-a/uploads/job.jpg", GeneratedPictures.jpeg(320, 240, 2), "image/jpeg");
        Answer created = a.postJson(
                "/api/jobs",
                "{\"keys\":[\"tenants/tenant-a/uploads/job.jpg\"]," + "\"options\":{\"faces\":false,\"maxSide\":" + SIDE
                        + "}}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String job = JSON.readTree(created.body()).path("job").asText();

        awaitDone(image, job);
        System.out.printf("tenant A's picture and job done in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        String unknown = UUID.randomUUID().toString();
        String unknownJob = UUID.randomUUID().toString();
        List<String> routes = List.of(
                "/api/images/%s",
                "/api/images/%s/result",
                "/api/images/%s/result?redirect=true",
                "/api/images/%s/download",
                "/api/images/%s/overlay",
                "/api/results.zip?ids=%s",
                "/api/images/%s/events",
                "/api/events?ids=%s");
        for (String route : routes) {
            assertIsolated(route, image, unknown);
        }
        for (String route : List.of("/api/jobs/%s", "/api/jobs/%s/results.zip")) {
            assertIsolated(route, job, unknownJob);
        }

        // A key of A's (existing) and a missing one, both outside B's prefix: the same refusal, before any storage
        // call.
        String existing = Keys.original(image);
        Answer refusedExisting = b.postJson("/api/jobs", "{\"keys\":[\"" + existing + "\"]}");
        Answer refusedMissing = b.postJson("/api/jobs", "{\"keys\":[\"" + Keys.original(unknown) + "\"]}");
        assertThat(refusedExisting.status()).isEqualTo(400);
        assertThat(refusedExisting.body())
                .isEqualTo("{\"error\":\"key '" + existing
                        + "' is outside your input prefix tenants/tenant-b/uploads/\"}");
        assertThat(refusedMissing.status()).isEqualTo(refusedExisting.status());
        assertThat(refusedMissing.body().replace(unknown, image)).isEqualTo(refusedExisting.body());
        for (String sneaky : List.of(
                "tenants/tenant-b/uploads/../../tenant-a/uploads/job.jpg",
                "tenants/tenant-a/uploads/job.jpg",
                "/tenants/tenant-b/uploads/x.jpg",
                "results/" + image + "/anime.png")) {
            Answer refused = b.postJson("/api/jobs", "{\"keys\":[\"" + sneaky + "\"]}");
            assertThat(refused.status()).as(sneaky).isEqualTo(400);
            assertThat(refused.body()).as(sneaky).contains("outside your input prefix tenants/tenant-b/uploads/");
        }
    }

    /**
     * A stream of B's naming B's pictures and one of A's hears only about B's, also while A's picture
     * moves on: one partition per stage, so B's second picture, sent after A's, finishes after it,
     * and the stream is read until that picture's done event.
     */
    @Test
    void aStreamNamingAnotherTenantsIdHearsOnlyAboutItsOwn() throws Exception {
        Map<String, String> fields = Map.of("faces", "false", "maxSide", String.valueOf(SIDE));
        String b1 = uploaded(b, GeneratedPictures.jpeg(320, 240, 11), fields);
        String a1 = uploaded(a, GeneratedPictures.jpeg(320, 240, 12), fields);
        String b2 = uploaded(b, GeneratedPictures.jpeg(320, 240, 13), fields);
        String aAtOpen =
                JSON.readTree(a.get("/api/images/" + a1).body()).path("status").asText();

        List<String> events = b.events(
                "/api/events?ids=" + b1 + "," + a1 + "," + b2,
                data -> data.contains(b2) && data.contains("\"status\":\"done\""),
                Duration.ofMinutes(2));

        assertThat(events).noneMatch(data -> data.contains(a1));
        assertThat(events).anyMatch(data -> data.contains(b1)).anyMatch(data -> data.contains(b2));
        assertThat(JSON.readTree(a.get("/api/images/" + a1).body())
                        .path("status")
                        .asText())
                .as("A's picture moved on while B's stream was open")
                .isEqualTo("done");
        System.out.printf(
                "B's stream naming A's id: %d events, none about A's picture (%s when the stream opened, "
                        + "done before B's last)%n",
                events.size(), aAtOpen);
    }

    private static String uploaded(TenantHttp tenant, byte[] picture, Map<String, String> fields) throws Exception {
        Answer answer = tenant.upload("/api/images", "p.jpg", picture, fields);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body()).path("images").get(0).path("id").asText();
    }

    /** A gets 2xx/3xx; B gets 404 with exactly the body an unknown id gets. */
    private static void assertIsolated(String route, String id, String unknown) throws Exception {
        Answer owner = a.get(route.formatted(id));
        assertThat(owner.status()).as("A: " + route).isIn(200, 302);
        Answer other = b.get(route.formatted(id));
        Answer none = b.get(route.formatted(unknown));
        assertThat(none.status()).as("unknown: " + route).isEqualTo(404);
        assertThat(other.status()).as("B: " + route).isEqualTo(404);
        assertThat(other.body().replace(id, unknown)).as("B: " + route).isEqualTo(none.body());
        System.out.printf("%-40s A %d, B %d %s%n", route, owner.status(), other.status(), other.body());
    }

    private static void awaitDone(String image, String job) {
        Awaitility.await("A's picture and job done")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode status =
                            JSON.readTree(a.get("/api/images/" + image).body());
                    JsonNode jobView = JSON.readTree(a.get("/api/jobs/" + job).body());
                    assertThat(status.path("status").asText()).isNotEqualTo("failed");
                    return status.path("status").asText().equals("done")
                            && jobView.path("done").asInt() == 1;
                });
    }
}
