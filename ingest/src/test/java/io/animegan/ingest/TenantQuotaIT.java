package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.StatusSettings;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.RateLimit;
import io.animegan.submission.TenantQuotas;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * Issue 13's quotas on two real ingest instances sharing one broker and S3 server: one tenant over
 * its pictures per minute or its stored bytes gets 429 with Retry-After, while another tenant goes
 * on; the stored bytes come from the status app, read alike on both instances, and come back once
 * retention deletes the pictures. (The sum's arithmetic: {@code StatusTopologyTest}.)
 */
class TenantQuotaIT {

    static final long PICTURES_PER_MINUTE = 3;
    /** Two photos fit, a third does not. */
    static final long MAX_STORED = 250_000;

    static final Duration RETENTION = Duration.ofSeconds(10);
    static final List<String> TOKENS =
            List.of("burst-a:token-burst-a", "burst-b:token-burst-b", "store-a:token-store-a", "store-b:token-store-b");

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer one;
    static IngestServer two;
    static byte[] photo;
    static byte[] tiny;

    @BeforeAll
    static void start() throws Exception {
        photo = TestAssets.sampleBytes("group-of-three.jpg");
        assertThat(2L * photo.length).isLessThanOrEqualTo(MAX_STORED).isGreaterThan(MAX_STORED - photo.length);
        tiny = png();
        infra = Infra.start(dir);
        IngestSettings settings = new IngestSettings(0, 1_000_000)
                .withRateLimit(RateLimit.OFF)
                .withApiTokens(TOKENS)
                .withStatus(new StatusSettings(RETENTION, Duration.ofSeconds(1), Duration.ofSeconds(5), "localhost"));
        AdmissionLimits limits = AdmissionLimits.defaults().withQuotas(PICTURES_PER_MINUTE, MAX_STORED);
        one = IngestServer.start(infra.config.withStateDir(dir.resolve("state-1")), settings, limits);
        two = IngestServer.start(infra.config.withStateDir(dir.resolve("state-2")), settings, limits);
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
    void aTenantOverItsPicturesPerMinuteGets429WhileAnotherGoesOn() {
        Http a = new Http(one.port(), "token-burst-a");
        for (int i = 0; i < PICTURES_PER_MINUTE; i++) {
            assertThat(upload(a, tiny).statusCode()).isEqualTo(202);
        }
        HttpResponse<byte[]> refused = upload(a, tiny);
        Http.assertError(refused, 429, "picture quota", PICTURES_PER_MINUTE + " pictures per minute");
        long retryAfter = retryAfter(refused);
        // The bucket refills one picture every 20 s: the wait is at least 1 s and at most that.
        assertThat(retryAfter).isBetween(1L, 60L / PICTURES_PER_MINUTE);
        System.out.printf("picture quota: 4th picture of burst-a refused with 429, Retry-After %d s%n", retryAfter);

        assertThat(upload(new Http(one.port(), "token-burst-b"), tiny).statusCode())
                .as("another tenant")
                .isEqualTo(202);
        // The per-minute count is kept per instance (README): the other instance has its own.
        assertThat(upload(new Http(two.port(), "token-burst-a"), tiny).statusCode())
                .isEqualTo(202);
        Http.assertError(upload(a, tiny), 429, "picture quota");
    }

    @Test
    void storedBytesAreSummedAcrossInstancesAndComeBackAfterRetention() throws Exception {
        Http aOnOne = new Http(one.port(), "token-store-a");
        Http aOnTwo = new Http(two.port(), "token-store-a");
        long t0 = System.nanoTime();
        assertThat(upload(aOnOne, photo).statusCode()).isEqualTo(202);
        assertThat(upload(aOnOne, photo).statusCode()).isEqualTo(202);
        long stored = 2L * photo.length;
        // One instance sums store-a's bytes; the other asks it on the internal port.
        HostInfo owner = one.statuses().usageOwnerOf("store-a");
        assertThat(two.statuses().usageOwnerOf("store-a"))
                .isEqualTo(owner)
                .isIn(one.statuses().self(), two.statuses().self());
        // Both instances read the one sum: the owner of store-a's usage partition from its store, the other over HTTP.
        await(
                "store-a's 2 photos folded, on both instances",
                () -> storedOn(one, "store-a") == stored && storedOn(two, "store-a") == stored);
        System.out.printf(
                "stored bytes: %d folded on both instances %.1f s after the first upload%n", stored, secondsSince(t0));

        for (Http a : List.of(aOnOne, aOnTwo)) {
            HttpResponse<byte[]> refused = upload(a, photo);
            Http.assertError(refused, 429, "storage quota", stored + " bytes stored", MAX_STORED + " bytes");
            assertThat(retryAfter(refused)).isEqualTo(TenantQuotas.STORED_RETRY_AFTER_SECONDS);
        }
        assertThat(upload(new Http(two.port(), "token-store-b"), photo).statusCode())
                .as("another tenant")
                .isEqualTo(202);
        System.out.printf(
                "stored bytes: store-a refused on both instances %.1f s after the first upload, store-b accepted%n",
                secondsSince(t0));

        await(
                "retention deleted store-a's photos",
                () -> storedOn(one, "store-a") == 0 && storedOn(two, "store-a") == 0);
        System.out.printf(
                "stored bytes: back to 0 after retention (%s), %.1f s after the first upload%n",
                RETENTION, secondsSince(t0));
        assertThat(upload(aOnTwo, photo).statusCode())
                .as("store-a may upload again")
                .isEqualTo(202);
    }

    private static HttpResponse<byte[]> upload(Http http, byte[] picture) {
        HttpResponse<byte[]> response = http.post(new Multipart().file("p.jpg", picture));
        if (response.statusCode() != 202 && response.statusCode() != 429) {
            throw new AssertionError(response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    /** The tenant's stored bytes as this instance reads them; -1 while the status app cannot say (rebalancing). */
    private static long storedOn(IngestServer server, String tenant) {
        try {
            return server.statuses().storedBytes(tenant);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static long retryAfter(HttpResponse<?> response) {
        return Long.parseLong(response.headers()
                .firstValue("Retry-After")
                .orElseThrow(() -> new AssertionError("no Retry-After on " + response.statusCode())));
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static byte[] png() {
        try (MatScope scope = new MatScope()) {
            return ImageCodec.encodePng(scope.own(new Mat(48, 64, CvType.CV_8UC3, new Scalar(200, 180, 240))));
        }
    }
}
