package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageCompleted;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.ServedResults;
import io.animegan.status.TestEvents;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completions written straight onto the completed topic by someone who may write there, for
 * pictures really submitted: a result pointing at an upload, another picture's result, another
 * bucket, or an HTML page is never served; the picture fails with a clear error, and result,
 * download, redirect and ZIPs answer 404 or 409, never the object's bytes.
 */
class ForgedEventIT {

    static final byte[] HTML = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static BlobStore store;
    static Http http;
    static byte[] photo;

    @BeforeAll
    static void start() throws Exception {
        photo = TestAssets.sampleBytes("group-of-three.jpg");
        infra = Infra.start(dir);
        server = IngestServer.start(infra.config, new IngestSettings(0, 1_000_000));
        store = new BlobStore(infra.config.storage());
        http = new Http(server.port());
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

    private static String upload() {
        HttpResponse<byte[]> accepted = http.post(new Multipart().file("forged.jpg", photo));
        assertThat(accepted.statusCode()).isEqualTo(202);
        return Http.json(accepted).get("images").get(0).get("id").asText();
    }

    private static ImageCompleted forged(String id, BlobRef result, String contentType) {
        return TestEvents.completed(id, result, contentType, 0, 64, 64);
    }

    private static JsonNode awaitFailed(String id) throws InterruptedException {
        Infra.await(id + " failed", () -> {
            HttpResponse<byte[]> r = http.get("/api/images/" + id);
            return r.statusCode() == 200 && Http.json(r).get("status").asText().equals("failed");
        });
        return Http.json(http.get("/api/images/" + id));
    }

    /** Every way the page and integrators fetch a result, none of which may hand out the object. */
    private static void assertNothingServed(String id, byte[] object) {
        for (String path : List.of(
                "/api/images/" + id + "/result",
                "/api/images/" + id + "/result?redirect=true",
                "/api/images/" + id + "/download",
                "/api/images/" + id + "/download?format=jpeg",
                "/api/images/" + id + "/overlay",
                "/api/results.zip?ids=" + id)) {
            HttpResponse<byte[]> answer = http.get(path);
            assertThat(answer.statusCode()).as(path).isIn(404, 409);
            assertThat(Http.contentType(answer)).as(path).startsWith("application/json");
            assertThat(answer.headers().firstValue("Location")).as(path).isEmpty();
            assertThat(Arrays.equals(answer.body(), object)).as(path).isFalse();
        }
    }

    @Test
    void aResultPointingAtTheUploadIsNeverServed() throws Exception {
        String id = upload();
        BlobRef upload = new BlobRef(store.bucket(), Keys.original(id));
        infra.produce(forged(id, upload, "image/jpeg"));

        JsonNode status = awaitFailed(id);
        assertThat(status.get("error").asText())
                .contains("ingest", ServedResults.FORBIDDEN_RESULT, "not one of this picture's results");
        assertNothingServed(id, photo);
    }

    @Test
    void anotherPicturesResultAnotherBucketOrAnHtmlPageAreNeverServed() throws Exception {
        String victim = upload();
        BlobRef victimsResult = store.put(
                Keys.result(victim, "png"), "the victim's picture".getBytes(StandardCharsets.UTF_8), "image/png");
        String thief = upload();
        infra.produce(forged(thief, victimsResult, "image/png"));

        String elsewhere = upload();
        infra.produce(
                forged(elsewhere, new BlobRef("someone-elses-bucket", Keys.result(elsewhere, "png")), "image/png"));

        String page = upload();
        BlobRef html = store.put(Keys.resultsPrefix(page) + "anime.png", HTML, "text/html");
        infra.produce(forged(page, html, "text/html"));

        assertThat(awaitFailed(thief).get("error").asText()).contains(ServedResults.FORBIDDEN_RESULT);
        assertNothingServed(thief, store.get(victimsResult));
        assertThat(awaitFailed(elsewhere).get("error").asText())
                .contains(ServedResults.FORBIDDEN_RESULT, "bucket")
                .doesNotContain("someone-elses-bucket");
        assertNothingServed(elsewhere, new byte[0]);
        assertThat(awaitFailed(page).get("error").asText()).contains(ServedResults.FORBIDDEN_RESULT, "PNG or JPEG");
        assertNothingServed(page, HTML);
        assertThat(http.get("/api/results.zip?ids=" + thief + "," + elsewhere + "," + page)
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void aForgedCompletionFailsItsPictureInTheJob() throws Exception {
        HttpResponse<byte[]> created = new Http(server.port()).postJob(new Multipart().file("job.jpg", photo));
        assertThat(created.statusCode()).isEqualTo(202);
        String job = Http.json(created).get("job").asText();
        String id = Http.json(created).get("images").get(0).get("id").asText();
        infra.produce(forged(id, new BlobRef(store.bucket(), Keys.original(id)), "image/jpeg"));

        Infra.await("job counts the picture failed", () -> {
            HttpResponse<byte[]> r = http.get("/api/jobs/" + job);
            return r.statusCode() == 200 && Http.json(r).get("failed").asInt() == 1;
        });
        assertThat(Http.json(http.get("/api/jobs/" + job)).get("done").asInt()).isZero();
        HttpResponse<byte[]> zip = http.get("/api/jobs/" + job + "/results.zip");
        assertThat(zip.statusCode()).isEqualTo(409);
        assertThat(Arrays.equals(zip.body(), photo)).isFalse();
    }
}
