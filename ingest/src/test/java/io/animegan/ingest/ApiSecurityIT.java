package io.animegan.ingest;

import static io.animegan.ingest.Http.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.events.EventSerdes;
import io.animegan.ingest.Http.Multipart;
import io.animegan.status.TestEvents;
import io.animegan.submission.RateLimit;
import io.animegan.submission.UploadValidator;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes the API safe to expose, against a real broker and S3 server: loopback bind by
 * default, bearer tokens, security headers, JSON for every error, the file cap, the rate limit
 * and presigned result redirects.
 */
class ApiSecurityIT {

    static final String TOKEN = "s3cret-token-for-tests";
    static final String OTHER_TOKEN = "another-valid-token";
    static final int MAX_FILES = 3;

    @TempDir
    static Path dir;

    static Infra infra;
    /** Tokens required, rate limit off. */
    static IngestServer guarded;
    /** No tokens, a small rate limit. */
    static IngestServer limited;

    static byte[] photo;

    @BeforeAll
    static void start() throws Exception {
        photo = TestAssets.sampleBytes("group-of-three.jpg");
        infra = Infra.start(dir);
        guarded = IngestServer.start(
                infra.config,
                new IngestSettings(0, 1_000_000)
                        .withApiTokens(List.of(TOKEN, OTHER_TOKEN))
                        .withRateLimit(RateLimit.OFF)
                        .withMaxFilesPerRequest(MAX_FILES)
                        .withPresignExpiry(Duration.ofMinutes(5)));
        limited = IngestServer.start(
                infra.config.withStateDir(dir.resolve("state-limited")),
                new IngestSettings(0, 1_000_000).withRateLimit(RateLimit.parse("3/m", 3)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {guarded, limited, infra}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static Http anonymous() {
        return new Http(guarded.port());
    }

    static Http authorised() {
        return new Http(guarded.port(), TOKEN);
    }

    @Test
    void bindsLoopbackByDefault() throws Exception {
        assertThat(IngestSettings.defaults().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(IngestSettings.defaults().loopbackOnly()).isTrue();
        assertThat(IngestSettings.defaults().withBindAddress("0.0.0.0").loopbackOnly())
                .isFalse();
        assertThat(anonymous().get("/healthz").statusCode()).isEqualTo(200);

        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(n -> Collections.list(n.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        Assumptions.assumeTrue(external.isPresent(), "no non-loopback address on this machine to try");
        try (Socket socket = new Socket()) {
            boolean connected;
            try {
                socket.connect(new InetSocketAddress(external.get(), guarded.port()), 2000);
                connected = true;
            } catch (IOException refused) {
                connected = false;
            }
            assertThat(connected).as("reachable on " + external.get()).isFalse();
        }
    }

    @Test
    void everyApiCallNeedsAValidToken() throws Exception {
        int objects = infra.objects("inputs/").size();
        HttpResponse<byte[]> none = anonymous().post(new Multipart().file("a.jpg", photo));
        assertError(none, 401, "token");
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertError(anonymous().withToken("wrong").get("/api/images/whatever"), 401, "invalid");
        assertError(anonymous().withToken(TOKEN + "x").get("/api/images/whatever"), 401);
        assertError(anonymous().get("/api/images/whatever/result"), 401);
        // Nothing reached storage or the topic.
        assertThat(infra.objects("inputs/")).hasSize(objects);

        HttpResponse<byte[]> accepted = authorised().post(new Multipart().file("a.jpg", photo));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = Http.json(accepted).get("images").get(0).get("id").asText();
        Infra.await("status", () -> authorised().get("/api/images/" + id).statusCode() == 200);
        assertThat(anonymous().withToken(OTHER_TOKEN).get("/api/images/" + id).statusCode())
                .isEqualTo(200);
        // The page's cookie stands in for the header on plain links such as <img src>.
        assertThat(anonymous()
                        .getWithCookie("/api/images/" + id, ApiGuard.COOKIE + "=" + TOKEN)
                        .statusCode())
                .isEqualTo(200);
        assertError(anonymous().getWithCookie("/api/images/" + id, ApiGuard.COOKIE + "=wrong"), 401, "invalid");

        // The page and health stay open.
        assertThat(anonymous().get("/").statusCode()).isEqualTo(200);
        assertThat(anonymous().get("/app.js").statusCode()).isEqualTo(200);
        assertThat(anonymous().get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenCookieIsSetAndClearedByTheServerOnly() throws Exception {
        HttpResponse<byte[]> accepted = authorised().post(new Multipart().file("c.jpg", photo));
        String id = Http.json(accepted).get("images").get(0).get("id").asText();
        Infra.await("status", () -> authorised().get("/api/images/" + id).statusCode() == 200);

        HttpResponse<byte[]> session = authorised().request("POST", "/api/session");
        assertThat(session.statusCode()).isEqualTo(204);
        String cookie = session.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith(ApiGuard.COOKIE + "=" + TOKEN + ";")
                .contains("Path=/api", "HttpOnly", "SameSite=Strict")
                .doesNotContain("Secure"); // plain http here
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(anonymous().getWithCookie("/api/images/" + id, pair).statusCode())
                .isEqualTo(200);
        assertError(anonymous().withToken("wrong").request("POST", "/api/session"), 401, "invalid");
        assertThat(anonymous()
                        .withToken("wrong")
                        .request("POST", "/api/session")
                        .headers()
                        .firstValue("Set-Cookie"))
                .isEmpty();

        // Forgetting needs no valid token: a stale or malformed cookie must be droppable too.
        RawHttp.Answer forget = RawHttp.send(
                guarded.port(),
                "DELETE /api/session HTTP/1.1\r\nHost: localhost:" + guarded.port() + "\r\nCookie: " + ApiGuard.COOKIE
                        + "=%zz\r\n",
                new byte[0]);
        assertThat(forget.status()).isEqualTo(204);
        assertThat(forget.header("Set-Cookie")).contains("Max-Age=0");
        HttpResponse<byte[]> cleared = anonymous().request("DELETE", "/api/session");
        assertThat(cleared.statusCode()).isEqualTo(204);
        assertThat(cleared.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith(ApiGuard.COOKIE + "=;")
                .contains("Max-Age=0", "Path=/api", "HttpOnly");
    }

    @Test
    void aMalformedCookieIsA401NotA500() {
        // The limited server's small budget belongs to the rate limit test: the guarded one only.
        for (String value : List.of("%zz", "%", "abc%2", "%E0%A4%A")) {
            HttpResponse<byte[]> answer = anonymous().getWithCookie("/api/limits", ApiGuard.COOKIE + "=" + value);
            assertError(answer, 401, "malformed");
        }
    }

    /** Paths, headers and cookies an attacker or a broken client may send: none may make the server fail (5xx). */
    @Test
    void hostileRequestsNeverGetA5xx() {
        String h = "Host: localhost:%d\r\n";
        List<String> heads = List.of(
                "GET /api/images/%zz HTTP/1.1\r\n" + h,
                "GET /api/images/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n" + h,
                "GET /api/images/%2e%2e/result HTTP/1.1\r\n" + h,
                "GET /%00 HTTP/1.1\r\n" + h,
                "GET /api/images/%00/download?format=%00 HTTP/1.1\r\n" + h,
                "GET /api/images/" + "a".repeat(5_000) + " HTTP/1.1\r\n" + h,
                "GET /api/events?ids=%zz HTTP/1.1\r\n" + h + "Accept: text/event-stream\r\n",
                "GET /api/events?ids=" + ",".repeat(2_000) + " HTTP/1.1\r\n" + h + "Accept: text/event-stream\r\n",
                "GET /api/events?ids=a HTTP/1.1\r\n" + h,
                "GET /api/results.zip?ids=%ff%fe HTTP/1.1\r\n" + h,
                "GET /api/jobs/%ff%fe/results.zip HTTP/1.1\r\n" + h,
                "GET /internal/status/x HTTP/1.1\r\n" + h,
                "GET //api//images//x HTTP/1.1\r\n" + h,
                "GET /;jsessionid=x/api/limits HTTP/1.1\r\n" + h,
                "GET /api/limits?%zz=%zz&a=%%% HTTP/1.1\r\n" + h,
                "GET /api/images/x?redirect=true&redirect=%zz HTTP/1.1\r\n" + h,
                "GET /api/limits HTTP/1.1\r\n" + h + "Cookie: " + ApiGuard.COOKIE + "=%zz\r\n",
                "GET /api/limits HTTP/1.1\r\n" + h + "Cookie: " + ApiGuard.COOKIE + "=\"%\"\r\n",
                "GET /api/limits HTTP/1.1\r\n" + h + "Cookie: =;;;=; " + ApiGuard.COOKIE + "\r\n",
                "GET /api/limits HTTP/1.1\r\n" + h + "Cookie: " + ApiGuard.COOKIE + "=" + "x".repeat(10_000) + "\r\n",
                "GET /api/limits HTTP/1.1\r\n" + h + "Authorization: Bearer\r\n",
                "GET /api/limits HTTP/1.1\r\n" + h + "Authorization: Basic Zm9vOmJhcg==\r\n",
                "GET /api/limits HTTP/1.1\r\n" + h + "Authorization: Bearer " + "t".repeat(12_000) + "\r\n",
                "GET / HTTP/1.1\r\nHost: [::1\r\n",
                "GET / HTTP/1.1\r\nHost: :::\r\n",
                "GET / HTTP/1.1\r\nHost: \r\n",
                "GET / HTTP/1.0\r\n",
                "GET / HTTP/1.1\r\n" + h + "Host: evil.example\r\n",
                "POST /api/jobs HTTP/1.1\r\n" + h + "Origin: %zz\r\n",
                "POST /api/jobs HTTP/1.1\r\n" + h + "Origin: http://[::1\r\n",
                "POST /api/jobs HTTP/1.1\r\n" + h + "Sec-Fetch-Site: \u00ff\r\n",
                "POST /api/jobs HTTP/1.1\r\n" + h + "Content-Type: application/json; charset=klingon\r\n",
                "POST /api/jobs HTTP/1.1\r\n" + h + "Content-Type: ;;;\r\n",
                "POST /api/images HTTP/1.1\r\n" + h + "Content-Type: multipart/form-data\r\n",
                "POST /api/images HTTP/1.1\r\n" + h + "Content-Type: multipart/form-data; boundary=x\r\n",
                "POST /api/jobs HTTP/1.1\r\n" + h + "Content-Type: multipart/form-data; boundary=\r\n",
                "POST /api/session HTTP/1.1\r\n" + h + "Authorization: Bearer %zz\r\n",
                "DELETE /api/session HTTP/1.1\r\n" + h + "Cookie: " + ApiGuard.COOKIE + "=%zz\r\n",
                "PUT /api/images/x HTTP/1.1\r\n" + h,
                "TRACE / HTTP/1.1\r\n" + h,
                "OPTIONS * HTTP/1.1\r\n" + h,
                "GET /api/images/x HTTP/1.1\r\n" + h + "Range: bytes=99999999999999999999-\r\n",
                "GET /api/images/x HTTP/1.1\r\n" + h + "Accept: text/event-stream\r\n");
        List<byte[]> bodies = List.of(
                new byte[0],
                "{".getBytes(StandardCharsets.UTF_8),
                "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../a\"\r\n\r\nzz"
                        .getBytes(StandardCharsets.UTF_8));
        int requests = 0;
        // With and without a valid token; on the guarded server, whose budget no other test counts on.
        for (boolean withToken : List.of(true, false)) {
            for (String head : heads) {
                for (byte[] body : head.startsWith("POST") ? bodies : List.of(new byte[0])) {
                    String request = head.replace("%d", String.valueOf(guarded.port()))
                            + (withToken && !head.contains("Authorization")
                                    ? "Authorization: Bearer " + TOKEN + "\r\n"
                                    : "");
                    RawHttp.Answer answer = RawHttp.send(guarded.port(), request, body);
                    requests++;
                    assertThat(answer.status())
                            .as(request.lines().findFirst().orElse("") + " -> " + answer.body())
                            .isLessThan(500);
                }
            }
        }
        System.out.println("ApiSecurityIT: " + requests + " hostile requests, no 5xx");
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        Http http = authorised();
        List<HttpResponse<byte[]>> responses = List.of(
                http.get("/"),
                http.get("/app.js"),
                http.get("/healthz"),
                http.get("/api/images/nope"),
                anonymous().get("/api/images/nope"),
                http.get("/no/such/route"),
                http.get("/api/images/" + "x".repeat(20_000)));
        for (HttpResponse<byte[]> response : responses) {
            String what = response.request().method() + " "
                    + response.uri()
                            .getPath()
                            .substring(0, Math.min(40, response.uri().getPath().length())) + " -> "
                    + response.statusCode();
            assertThat(response.headers().firstValue("X-Content-Type-Options"))
                    .as(what)
                    .hasValue("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options"))
                    .as(what)
                    .hasValue("DENY");
            assertThat(response.headers().firstValue("Referrer-Policy"))
                    .as(what)
                    .hasValue("no-referrer");
            assertThat(response.headers().firstValue("Content-Security-Policy"))
                    .as(what)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains("default-src 'self'")
                            .contains("frame-ancestors 'none'")
                            .contains("img-src 'self' blob: data:"));
        }
        // A fresh client: Jetty closed the connection the 414 above came on, and a pooled one may be reused.
        assertThat(authorised().get("/api/images/nope").headers().firstValue("Cache-Control"))
                .hasValue("no-store");
        assertThat(anonymous().get("/api/images/nope").headers().firstValue("Cache-Control"))
                .hasValue("no-store");
    }

    @Test
    void everyHttpErrorIsJson() {
        Http http = authorised();
        assertError(http.get("/no/such/route"), 404);
        assertError(http.get("/api/nothing-here"), 404);
        assertError(http.get("/api/images/../../etc/passwd"), 404);
        assertError(http.get("/api/images/%2e%2e/%2e%2e/etc/passwd"), 404);
        assertError(http.request("DELETE", "/api/images/abc"), 405);
        assertError(http.request("PUT", "/api/images"), 405);
        assertError(http.postRaw("text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 400, "multipart");
        // A 10 KB id is within the header limit: an ordinary 404; a 20 KB one is Jetty's 414, as JSON.
        // Last: Jetty closes the connection after a 414, and the client may try to reuse it.
        assertError(http.get("/api/images/" + "x".repeat(10_000)), 404);
        assertError(http.get("/api/images/" + "x".repeat(20_000)), 414, "too long");
    }

    @Test
    void refusesMoreFilesThanTheCapBeforeStoringAny() {
        long offsets = infra.endOffsets(infra.topics().submitted().name());
        int objects = infra.objects("inputs/").size();
        Multipart many = new Multipart();
        for (int i = 0; i <= MAX_FILES; i++) {
            many.file("p" + i + ".jpg", photo);
        }
        assertError(authorised().post(many), 413, (MAX_FILES + 1) + " files", "limit is " + MAX_FILES);
        assertThat(infra.endOffsets(infra.topics().submitted().name())).isEqualTo(offsets);
        assertThat(infra.objects("inputs/")).hasSize(objects);
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() {
        Http http = new Http(limited.port());
        for (int i = 0; i < 3; i++) {
            assertError(http.get("/api/images/nope-" + i), 404);
        }
        HttpResponse<byte[]> refused = http.get("/api/images/nope");
        assertError(refused, 429, "too many");
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        // Health and the page are not rate limited.
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(http.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void resultRedirectsToAPresignedUrl() throws Exception {
        Http http = authorised();
        HttpResponse<byte[]> accepted = http.post(new Multipart().file("r.jpg", photo));
        String id = Http.json(accepted).get("images").get(0).get("id").asText();
        ConsumerRecord<String, byte[]> record = infra
                .records(infra.topics().submitted().name())
                .stream()
                .filter(r -> r.key().equals(id))
                .findFirst()
                .orElseThrow();
        var trace = EventSerdes.imageSubmitted()
                .deserialize(record.topic(), record.value())
                .getTrace();
        BlobStore store = new BlobStore(infra.config.storage());
        byte[] result = "result bytes".getBytes(StandardCharsets.UTF_8);
        BlobRef ref = store.put(Keys.result(id, "png"), result, "image/png");
        infra.produce(TestEvents.completed(id, ref, "image/png", 0, 64, 64, trace));
        Infra.await("done", () -> {
            HttpResponse<byte[]> r = http.get("/api/images/" + id);
            return r.statusCode() == 200 && Http.json(r).get("status").asText().equals("done");
        });

        HttpResponse<byte[]> redirect = http.get("/api/images/" + id + "/result?redirect=true");
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location)
                .startsWith(infra.s3.endpoint())
                .contains(ref.getKey())
                .contains("X-Amz-Expires=300");
        // The URL itself is the credential: no token, no S3 keys.
        HttpResponse<byte[]> direct = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEqualTo(result);
        // Without the parameter the bytes come through the service as before.
        assertThat(http.get("/api/images/" + id + "/result").body()).isEqualTo(result);
        assertError(anonymous().get("/api/images/" + id + "/result?redirect=true"), 401);
    }

    @Test
    void warnsWhenExposedWithoutTokens() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(IngestServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            IngestServer.warnIfExposed(IngestSettings.defaults(), 8080);
            IngestServer.warnIfExposed(
                    IngestSettings.defaults()
                            .withBindAddress("0.0.0.0")
                            .withApiTokens(List.of(TOKEN))
                            .withGuards(GuardSettings.defaults().withAllowedHosts(List.of("photos.example.org"))),
                    8080);
            assertThat(appender.list).isEmpty();
            IngestServer.warnIfExposed(IngestSettings.defaults().withBindAddress("0.0.0.0"), 8080);
            assertThat(appender.list)
                    .hasSize(2)
                    .allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN));
            assertThat(appender.list.get(0).getFormattedMessage())
                    .contains("0.0.0.0")
                    .contains("NO API tokens")
                    .contains("8080");
            assertThat(appender.list.get(1).getFormattedMessage())
                    .contains("ANY host name")
                    .contains("--allowed-hosts");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void settingsParseAndRefuseNonsense() {
        assertThat(RateLimit.parse("10/s", 0)).isEqualTo(new RateLimit(10, Duration.ofSeconds(1), 10));
        assertThat(RateLimit.parse("600/m", 50)).isEqualTo(new RateLimit(600, Duration.ofMinutes(1), 50));
        assertThat(RateLimit.parse("off", 0).enabled()).isFalse();
        assertThat(RateLimit.parse("10/s", 20)).hasToString("10/s (burst 20)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimit.parse("fast", 0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> IngestSettings.defaults().withMaxFilesPerRequest(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(IngestSettings.defaults().withApiTokens(List.of(TOKEN)).toString())
                .doesNotContain(TOKEN);
        assertThat(UploadValidator.displayName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(UploadValidator.displayName("a\u0000b\nc\u202Ed.jpg")).isEqualTo("abcd.jpg");
        assertThat(UploadValidator.displayName("..")).isEqualTo("upload");
        assertThat(UploadValidator.displayName("é".repeat(500)).codePointCount(0, 200))
                .isEqualTo(200);
    }
}
