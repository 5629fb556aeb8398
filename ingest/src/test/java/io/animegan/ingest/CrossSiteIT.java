package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests from other sites' pages, against a real broker and S3 server: {@code POST /api/jobs}
 * with {@code Origin: https://evil.example} is refused; a {@code text/plain} JSON body is refused
 * with 415; a wrong {@code Host} is refused. (The page itself still works: WebPageBrowserIT.)
 */
class CrossSiteIT {

    static final String ALLOWED_ORIGIN = "https://photos.example.org";
    static final byte[] JOB = "{\"keys\":[\"tenants/anonymous/uploads/group.jpg\"]}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;

    @BeforeAll
    static void start() throws Exception {
        infra = Infra.start(dir);
        // Bound to loopback with no names configured: localhost, 127.0.0.1 and [::1] only.
        server = IngestServer.start(
                infra.config,
                new IngestSettings(0, 300_000)
                        .withGuards(GuardSettings.defaults().withAllowedOrigins(List.of(ALLOWED_ORIGIN + "/"))));
        new BlobStore(infra.config.storage())
                .put("tenants/anonymous/uploads/group.jpg", TestAssets.sampleBytes("group-of-three.jpg"), "image/jpeg");
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

    private static Answer postJob(String contentType, String... headers) {
        StringBuilder head = new StringBuilder("POST /api/jobs HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return RawHttp.send(server.port(), head.toString(), JOB);
    }

    private static void assertError(Answer answer, int status, String mention) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(new ObjectMapper().readTree(answer.body()).path("error").asText())
                .contains(mention);
    }

    private long submitted() {
        return infra.endOffsets(infra.topics().submitted().name());
    }

    @Test
    void anotherSitesPageCannotSubmit() throws Exception {
        long before = submitted();
        assertError(postJob("application/json", "Origin: https://evil.example"), 403, "other sites");
        assertError(postJob("application/json", "Origin: null"), 403, "other sites");
        // Same host, other port: another origin.
        assertError(postJob("application/json", "Origin: http://localhost:1"), 403, "other sites");
        // Without Origin, the browser's own word on where the request comes from.
        assertError(postJob("application/json", "Sec-Fetch-Site: cross-site"), 403, "other sites");
        assertError(postJob("application/json", "Sec-Fetch-Site: same-site"), 403, "other sites");
        // Refusals also stand on the routes that are not JSON.
        Answer forget = RawHttp.send(
                server.port(),
                "DELETE /api/session HTTP/1.1\r\nHost: localhost:" + server.port()
                        + "\r\nOrigin: https://evil.example\r\n",
                new byte[0]);
        assertError(forget, 403, "other sites");
        assertThat(submitted()).as("nothing was queued").isEqualTo(before);
    }

    @Test
    void theServicesOwnPageAnAllowedOriginAndNonBrowsersCanSubmit() {
        assertThat(postJob(
                                "application/json",
                                "Origin: http://localhost:" + server.port(),
                                "Sec-Fetch-Site: same-origin")
                        .status())
                .isEqualTo(202);
        assertThat(postJob("application/json", "Origin: " + ALLOWED_ORIGIN, "Sec-Fetch-Site: cross-site")
                        .status())
                .isEqualTo(202);
        // curl and servers send neither header.
        assertThat(postJob("application/json; charset=utf-8").status()).isEqualTo(202);
    }

    @Test
    void theSessionCookieIsSecureWhenTheBrowserIsOnHttps() {
        String head =
                "POST /api/session HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nAuthorization: Bearer t\r\n";
        // Behind a TLS proxy: the request is plain http, the page's (allowed) origin https.
        Answer proxied = RawHttp.send(server.port(), head + "Origin: " + ALLOWED_ORIGIN + "\r\n", new byte[0]);
        assertThat(proxied.status()).isEqualTo(204);
        assertThat(proxied.header("Set-Cookie")).contains("HttpOnly", "SameSite=Strict", "Path=/api", "Secure");
        Answer plain =
                RawHttp.send(server.port(), head + "Origin: http://localhost:" + server.port() + "\r\n", new byte[0]);
        assertThat(plain.header("Set-Cookie")).contains("HttpOnly").doesNotContain("Secure");
    }

    @Test
    void aJsonBodyMustSaySoOrItIsRefusedWith415() throws Exception {
        long before = submitted();
        // What a cross-site <form> or a "simple" fetch can send without asking the browser first.
        assertError(postJob("text/plain"), 415, "application/json");
        assertError(postJob("text/plain;charset=UTF-8"), 415, "application/json");
        assertError(postJob("application/x-www-form-urlencoded"), 415, "application/json");
        assertError(postJob(null), 415, "application/json");
        assertThat(submitted()).isEqualTo(before);
    }

    @Test
    void aWrongHostIsRefusedOnEveryPathThePageIncluded() throws Exception {
        int port = server.port();
        for (String path : List.of("/", "/index.html", "/app.js", "/api/limits", "/api/images/x", "/no-such-page")) {
            assertError(RawHttp.get(port, path, "rebound.evil.example:" + port), 421, "host name");
            assertError(RawHttp.get(port, path, "127.0.0.1.evil.example"), 421, "host name");
        }
        Answer wrongHostPost = RawHttp.send(
                port,
                "POST /api/jobs HTTP/1.1\r\nHost: evil.example:" + port + "\r\nContent-Type: application/json\r\n",
                JOB);
        assertError(wrongHostPost, 421, "host name");

        for (String host :
                List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST", "localhost")) {
            Answer page = RawHttp.get(port, "/", host);
            assertThat(page.status()).as(host).isEqualTo(200);
            assertThat(page.body()).contains("<html");
        }
        // Probes and scrapers address the pod by IP; these show nothing worth rebinding for.
        assertThat(RawHttp.get(port, "/healthz", "10.1.2.3:" + port).status()).isEqualTo(200);
    }

    @Test
    void theAcceptedHostNamesFollowTheBindAddressUnlessConfigured() {
        IngestSettings loopback = IngestSettings.defaults();
        assertThat(SiteGuard.acceptedHosts(loopback)).containsExactly("localhost", "127.0.0.1", "[::1]");
        assertThat(SiteGuard.acceptedHosts(loopback.withBindAddress("0.0.0.0")))
                .as("any, with a warning")
                .isNull();
        assertThat(SiteGuard.acceptedHosts(loopback.withBindAddress("0.0.0.0")
                        .withGuards(GuardSettings.defaults().withAllowedHosts(List.of(" Photos.Example.org ", "::1")))))
                .containsExactly("photos.example.org", "[::1]");
        assertThat(SiteGuard.hostName("Photos.Example.org:8443")).isEqualTo("photos.example.org");
        assertThat(SiteGuard.hostName("[::1]:8080")).isEqualTo("[::1]");
        assertThat(SiteGuard.hostName(null)).isEmpty();
    }
}
