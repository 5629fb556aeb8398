package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.storage.BlobStore;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.JobRecord;
import io.animegan.submission.RateLimit;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * A job id ingest answered 202 for is never 404 afterwards, on any instance: two instances on one
 * broker and S3 server, jobs created on one and read at once on the other; a job the status app
 * has not folded reads as queued from its record, for its tenant only. No stages run here, so the
 * jobs stay queued (the whole pipeline: {@code ReadYourWritesIT} in app).
 */
class JobReadYourWritesIT {

    static final int JOBS = 20;

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer one;
    static IngestServer two;
    static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        png = png();
        infra = Infra.start(dir);
        IngestSettings settings = new IngestSettings(0, 1_000_000)
                .withRateLimit(RateLimit.OFF)
                .withApiTokens(List.of("job-a:token-job-a", "job-b:token-job-b"));
        one = IngestServer.start(infra.config.withStateDir(dir.resolve("state-1")), settings);
        two = IngestServer.start(infra.config.withStateDir(dir.resolve("state-2")), settings);
        Infra.awaitSettled(one, two);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {two, one, infra}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aJobCreatedOnOneInstanceReadsAtOnceOnTheOther() throws Exception {
        Http onOne = new Http(one.port(), "token-job-a");
        Http onTwo = new Http(two.port(), "token-job-a");
        ExecutorService clients = Executors.newFixedThreadPool(5);
        long t0 = System.nanoTime();
        try {
            List<Future<String>> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(clients.submit(() -> {
                    HttpResponse<byte[]> created =
                            onOne.postJob(new Multipart().file("a.png", png).file("b.png", png));
                    assertThat(created.statusCode()).as(text(created)).isEqualTo(202);
                    JsonNode body = Http.json(created);
                    HttpResponse<byte[]> read =
                            onTwo.get("/api/jobs/" + body.get("job").asText());
                    assertThat(read.statusCode())
                            .as("read on the other instance right after the 202: " + text(read))
                            .isEqualTo(200);
                    JsonNode view = Http.json(read);
                    assertThat(view.get("total").asInt()).isEqualTo(2);
                    assertThat(view.get("pending").asInt()).isEqualTo(2);
                    assertThat(ids(view.get("images")))
                            .containsExactlyInAnyOrder(
                                    body.at("/images/0/id").asText(),
                                    body.at("/images/1/id").asText());
                    return body.get("job").asText();
                }));
            }
            for (Future<String> job : jobs) {
                job.get();
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf(
                "%d jobs of 2 pictures created on one instance, each read at once on the other: no 404 (%.1f s)%n",
                JOBS, (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aJobNotFoldedYetReadsAsQueuedForItsTenantOnlyAndAsUnknownForAnother() {
        // What ingest stores before its 202, and nothing else: the status app has no event of this job.
        String job = UUID.randomUUID().toString();
        BlobStore store = new BlobStore(infra.config.storage());
        store.put(
                JobRecord.key(job),
                new JobRecord("job-a", List.of("img-1", "img-2"), System.currentTimeMillis()).toJson(),
                "application/json");
        for (IngestServer server : List.of(one, two)) {
            HttpResponse<byte[]> read = new Http(server.port(), "token-job-a").get("/api/jobs/" + job);
            assertThat(read.statusCode()).as(text(read)).isEqualTo(200);
            JsonNode view = Http.json(read);
            assertThat(view.get("id").asText()).isEqualTo(job);
            assertThat(view.get("total").asInt()).isEqualTo(2);
            assertThat(view.get("pending").asInt()).isEqualTo(2);
            assertThat(ids(view.get("images"))).containsExactly("img-1", "img-2");
            // The ZIP of a job none of whose pictures is done yet: 409, not 404.
            Http.assertError(
                    new Http(server.port(), "token-job-a").get("/api/jobs/" + job + "/results.zip"), 409, "done");
        }

        Http b = new Http(one.port(), "token-job-b");
        String unknown = UUID.randomUUID().toString();
        for (String route : List.of("/api/jobs/%s", "/api/jobs/%s/results.zip")) {
            HttpResponse<byte[]> other = b.get(route.formatted(job));
            HttpResponse<byte[]> none = b.get(route.formatted(unknown));
            Http.assertError(none, 404, unknown);
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(text(other).replace(job, unknown)).isEqualTo(text(none));
        }
        // An id of no shape ingest makes names no object: 404 without a storage call.
        Http.assertError(new Http(one.port(), "token-job-a").get("/api/jobs/..x"), 404, "no job");
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static byte[] png() {
        try (MatScope scope = new MatScope()) {
            return ImageCodec.encodePng(scope.own(new Mat(48, 64, CvType.CV_8UC3, new Scalar(120, 180, 240))));
        }
    }
}
