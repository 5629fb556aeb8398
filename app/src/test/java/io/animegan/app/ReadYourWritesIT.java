package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.app.TenantHttp.Answer;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.IngestSettings;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.RateLimit;
import io.animegan.submission.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, acceptance point 9: "200 uploads sent at once, each id read back immediately after its
 * 202: no 404, every one ends done"; and the same for 30 jobs of 2 pictures. Small generated
 * pictures, faces off, the whole pipeline in process.
 */
class ReadYourWritesIT {

    static final int UPLOADS = 200;
    static final int CLIENTS = 20;
    static final int JOBS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static EmbeddedPipeline pipeline;

    @BeforeAll
    static void start() {
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        IngestSettings settings = IngestSettings.defaults().withPort(0).withRateLimit(RateLimit.OFF);
        pipeline = EmbeddedPipeline.start(
                dataDir,
                settings,
                AdmissionLimits.defaults(),
                models,
                PipelineConfig.DEFAULT_GENERATOR,
                2,
                EnumSet.allOf(StageName.class));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyAcceptedIdReadsBackAtOnceAndEndsDone() throws Exception {
        TenantHttp http = new TenantHttp(pipeline.url(), null);
        Map<String, String> fields = Map.of("faces", "false", "maxSide", String.valueOf(TenantIsolationIT.SIDE));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        List<Future<String>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < UPLOADS; i++) {
                byte[] picture = GeneratedPictures.jpeg(160, 120, i);
                String name = "p" + i + ".jpg";
                sent.add(clients.submit(() -> {
                    Answer accepted = http.upload("/api/images", name, picture, fields);
                    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
                    String id = JSON.readTree(accepted.body())
                            .path("images")
                            .get(0)
                            .path("id")
                            .asText();
                    Answer read = http.get("/api/images/" + id);
                    assertThat(read.status())
                            .as("read right after its 202: " + read.body())
                            .isEqualTo(200);
                    assertThat(JSON.readTree(read.body()).path("status").asText())
                            .isIn("queued", "processing", "done");
                    return id;
                }));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> f : sent) {
                ids.add(f.get());
            }
            System.out.printf(
                    "%d uploads accepted and read back (no 404) in %.1f s%n",
                    ids.size(), (System.nanoTime() - t0) / 1e9);
            awaitAllDone(http, ids);
            System.out.printf(
                    "all %d done %.1f s after the first upload%n", ids.size(), (System.nanoTime() - t0) / 1e9);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void everyAcceptedJobReadsBackAtOnceAndEndsDone() throws Exception {
        TenantHttp http = new TenantHttp(pipeline.url(), null);
        BlobStore store = new BlobStore(pipeline.config().storage());
        String prefix = AdmissionLimits.defaults().inputPrefix(Tenant.ANONYMOUS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        List<Future<String>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < JOBS; i++) {
                String keys = "\"" + prefix + "job-" + i + "-a.jpg\",\"" + prefix + "job-" + i + "-b.jpg\"";
                store.put(prefix + "job-" + i + "-a.jpg", GeneratedPictures.jpeg(160, 120, 1000 + 2 * i), "image/jpeg");
                store.put(prefix + "job-" + i + "-b.jpg", GeneratedPictures.jpeg(160, 120, 1001 + 2 * i), "image/jpeg");
                sent.add(clients.submit(() -> {
                    Answer created = http.postJson(
                            "/api/jobs",
                            "{\"keys\":[" + keys + "],\"options\":{\"faces\":false," + "\"maxSide\":"
                                    + TenantIsolationIT.SIDE + "}}");
                    assertThat(created.status()).as(created.body()).isEqualTo(202);
                    String job = JSON.readTree(created.body()).path("job").asText();
                    Answer read = http.get("/api/jobs/" + job);
                    assertThat(read.status())
                            .as("job read right after its 202: " + read.body())
                            .isEqualTo(200);
                    assertThat(JSON.readTree(read.body()).path("total").asInt()).isEqualTo(2);
                    return job;
                }));
            }
            Set<String> jobs = new HashSet<>();
            for (Future<String> f : sent) {
                jobs.add(f.get());
            }
            System.out.printf(
                    "%d jobs of 2 pictures accepted and read back (no 404) in %.1f s%n",
                    jobs.size(), (System.nanoTime() - t0) / 1e9);
            awaitJobsDone(http, jobs);
            System.out.printf("all %d jobs done %.1f s after the first%n", jobs.size(), (System.nanoTime() - t0) / 1e9);
        } finally {
            clients.shutdownNow();
        }
    }

    private static void awaitJobsDone(TenantHttp http, Set<String> jobs) {
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(jobs);
        // A 404 or a failed picture fails the wait at once; pending jobs are asked again every half second.
        Awaitility.await("30 jobs done")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (String job : List.copyOf(pending)) {
                        Answer view = http.get("/api/jobs/" + job);
                        assertThat(view.status()).as("never 404 once accepted").isEqualTo(200);
                        assertThat(JSON.readTree(view.body()).path("failed").asInt())
                                .as(view.body())
                                .isZero();
                        if (JSON.readTree(view.body()).path("done").asInt() == 2) {
                            pending.remove(job);
                        }
                    }
                    return pending.isEmpty();
                });
    }

    private static void awaitAllDone(TenantHttp http, Set<String> ids) {
        Set<String> pending = new HashSet<>(ids);
        Awaitility.await(ids.size() + " pictures done")
                .atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (String id : List.copyOf(pending)) {
                        Answer status = http.get("/api/images/" + id);
                        assertThat(status.status())
                                .as("never 404 once accepted")
                                .isEqualTo(200);
                        String phase =
                                JSON.readTree(status.body()).path("status").asText();
                        assertThat(phase).as(id).isNotEqualTo("failed");
                        if (phase.equals("done")) {
                            pending.remove(id);
                        }
                    }
                    return pending.isEmpty();
                });
    }
}
