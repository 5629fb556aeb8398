package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.testing.TestAssets;
import io.animegan.common.webhook.CallbackRefusedException;
import io.animegan.events.EventSerdes;
import io.animegan.events.ImageSubmitted;
import io.animegan.ingest.Http.Multipart;
import io.animegan.submission.AdmissionLimits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSRF at submission: a callbackUrl on a loopback, private, link-local or metadata address (or a
 * name resolving to one) is refused with 400 {@code CALLBACK_URL_REFUSED} before anything is
 * stored, and nothing connects to it; a public one rides on the picture's ImageSubmitted.
 */
class CallbackUrlIT {

    @TempDir
    static Path dir;

    static Infra infra;
    static IngestServer server;
    static Http http;
    static byte[] photo;

    @BeforeAll
    static void start() throws Exception {
        photo = TestAssets.sampleBytes("group-of-three.jpg");
        infra = Infra.start(dir);
        server = IngestServer.start(infra.config, new IngestSettings(0, 300_000), AdmissionLimits.defaults());
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

    @Test
    void nonPublicCallbacksAreRefusedAndNeverCalled() throws Exception {
        int submittedBefore = infra.records(infra.topics().submitted().name()).size();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = listener.getLocalPort();
            List<String> urls = List.of(
                    "http://169.254.169.254/",
                    "http://10.0.0.1/",
                    "http://[::1]/",
                    "http://localhost:" + port + "/hook",
                    "http://127.0.0.1:" + port + "/hook");
            for (String url : urls) {
                assertRefused(http.post(new Multipart().file("a.jpg", photo).field("callbackUrl", url)), url);
                assertRefused(http.postJob(new Multipart().file("a.jpg", photo).field("callbackUrl", url)), url);
            }
            listener.setSoTimeout(500);
            try {
                listener.accept().close();
                throw new AssertionError("something connected to the refused callback's listener");
            } catch (SocketTimeoutException expected) {
                // nothing connected
            }
        }
        assertThat(infra.records(infra.topics().submitted().name()))
                .as("nothing submitted")
                .hasSize(submittedBefore);
    }

    @Test
    void aPublicCallbackRidesOnTheSubmission() throws Exception {
        String url = "https://93.184.215.14:8443/hooks/Animegan?Token=AbC";
        HttpResponse<byte[]> response =
                http.post(new Multipart().file("a.jpg", photo).field("callbackUrl", url));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        String id = Http.json(response).get("images").get(0).get("id").asText();
        Infra.await(
                "submission of " + id,
                () -> infra.records(infra.topics().submitted().name()).stream()
                        .anyMatch(r -> r.key().equals(id)));
        ImageSubmitted event = infra.records(infra.topics().submitted().name()).stream()
                .filter(r -> r.key().equals(id))
                .map(r -> EventSerdes.imageSubmitted().deserialize(r.topic(), r.value()))
                .findFirst()
                .orElseThrow();
        assertThat(event.getCallbackUrl()).as("kept as given, case and all").isEqualTo(url);
    }

    private static void assertRefused(HttpResponse<byte[]> response, String url) {
        assertThat(response.statusCode())
                .as(url + ": " + new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(400);
        assertThat(Http.json(response).path("code").asText()).isEqualTo(CallbackRefusedException.CODE);
        assertThat(Http.json(response).path("error").asText()).contains("callback");
    }
}
