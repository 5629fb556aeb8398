package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.app.TenantHttp.Answer;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.IngestLimits;
import io.animegan.ingest.IngestSettings;
import io.animegan.ingest.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, acceptance point 9: "200 uploads sent at once, each id read back immediately after its
 * 202: no 404, every one ends done". Small generated pictures, faces off, the whole pipeline in process.
 */
class ReadYourWritesTest {

  static final int UPLOADS = 200;
  static final int CLIENTS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;
  private static EmbeddedPipeline pipeline;

  @BeforeAll
  static void start() {
    Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
    IngestSettings settings = IngestSettings.defaults().withPort(0).withRateLimit(RateLimit.OFF);
    pipeline = EmbeddedPipeline.start(dataDir, settings, IngestLimits.defaults(), models,
        PipelineConfig.DEFAULT_GENERATOR, 2, EnumSet.allOf(StageName.class));
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
    Map<String, String> fields = Map.of("faces", "false", "maxSide", String.valueOf(TenantIsolationTest.SIDE));
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
          String id = JSON.readTree(accepted.body()).path("images").get(0).path("id").asText();
          Answer read = http.get("/api/images/" + id);
          assertThat(read.status()).as("read right after its 202: " + read.body()).isEqualTo(200);
          assertThat(JSON.readTree(read.body()).path("status").asText()).isIn("queued", "processing", "done");
          return id;
        }));
      }
      Set<String> ids = new HashSet<>();
      for (Future<String> f : sent) {
        ids.add(f.get());
      }
      System.out.printf("%d uploads accepted and read back (no 404) in %.1f s%n", ids.size(),
          (System.nanoTime() - t0) / 1e9);
      awaitAllDone(http, ids);
      System.out.printf("all %d done %.1f s after the first upload%n", ids.size(), (System.nanoTime() - t0) / 1e9);
    } finally {
      clients.shutdownNow();
    }
  }

  private static void awaitAllDone(TenantHttp http, Set<String> ids) throws Exception {
    Set<String> pending = new HashSet<>(ids);
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      for (String id : List.copyOf(pending)) {
        Answer status = http.get("/api/images/" + id);
        assertThat(status.status()).as("never 404 once accepted").isEqualTo(200);
        String phase = JSON.readTree(status.body()).path("status").asText();
        assertThat(phase).as(id).isNotEqualTo("failed");
        if (phase.equals("done")) {
          pending.remove(id);
        }
      }
      Thread.sleep(500);
    }
    assertThat(pending).as("pictures not done within 6 minutes").isEmpty();
  }
}
