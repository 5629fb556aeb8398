package io.animegan.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.animegan.common.config.StorageConfig;
import io.animegan.events.BlobRef;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How storage failures are classified. A tiny HTTP server on loopback stands in for S3 to answer
 * each kind of failure (an outage cannot be ordered from a real server on demand); the real S3
 * server being stopped and restarted is covered by the fault tests in the app module.
 */
class BlobStoreTest {

    /**
     * Few, short retries so the tests stay fast; the shape of the policy is the same. The overall
     * bound is generous so that a slow, loaded machine still sees every retry counted.
     */
    private static final BlobStore.Patience QUICK = new BlobStore.Patience(
            2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(60), Duration.ofSeconds(2));

    private static final BlobRef SOURCE = new BlobRef("animegan", "inputs/x/original");

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aRefusedConnectionIsAStorageOutageAndTheRequestPathGivesUpWithinSeconds() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        BlobStore store = new BlobStore(config("http://127.0.0.1:" + closedPort), BlobStore.Patience.REQUEST);

        long started = System.nanoTime();
        assertThatThrownBy(() -> store.get(SOURCE))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("ConnectException");
        assertThatThrownBy(() -> store.put("results/x/anime.png", new byte[] {1, 2}, "image/png"))
                .isInstanceOf(StorageException.class);
        // The request patience gives up after about 2 s, the stage patience after a minute: a third of
        // that minute tells them apart and leaves a loaded machine room.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void presignedUrlsCarryThePublicHostAndAreMadeWithoutCallingStorage() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // Neither endpoint answers: presigning must not need either.
        StorageConfig config = new StorageConfig(
                "http://127.0.0.1:" + closedPort,
                "key",
                "secret",
                "animegan",
                "eu-west-1",
                "https://images.example.com");
        String url = new BlobStore(config, BlobStore.Patience.REQUEST)
                .presignedGet(new BlobRef("animegan", "results/x/anime.png"), Duration.ofMinutes(15));
        assertThat(java.net.URI.create(url).getScheme()).isEqualTo("https");
        assertThat(java.net.URI.create(url).getHost()).isEqualTo("images.example.com");
        assertThat(url)
                .startsWith("https://images.example.com/animegan/results/x/anime.png?")
                .contains("X-Amz-Credential=key%2F")
                .contains("%2Feu-west-1%2Fs3%2Faws4_request")
                .contains("X-Amz-Expires=900")
                .contains("X-Amz-Signature=")
                .doesNotContain("127.0.0.1");

        // Without a public endpoint: the service's own.
        String internal = new BlobStore(
                        new StorageConfig("http://127.0.0.1:" + closedPort, "key", "secret", "animegan", "us-east-1"),
                        BlobStore.Patience.REQUEST)
                .presignedGet(new BlobRef("animegan", "results/x/anime.png"), Duration.ofMinutes(15));
        assertThat(internal).startsWith("http://127.0.0.1:" + closedPort + "/animegan/results/x/anime.png?");
        // A blank public endpoint (an empty variable) counts as none.
        assertThat(new StorageConfig("http://a:1", "k", "s", "b", "r", " ").presignEndpoint())
                .isEqualTo("http://a:1");
    }

    @Test
    void serverErrorsAreRetriedThenReportedAsStorageOutage() throws IOException {
        BlobStore store = storeAnswering(503, error("SlowDown", "Please reduce your request rate."));

        assertThatThrownBy(() -> store.get(SOURCE)).isInstanceOf(StorageException.class);
        assertThat(requests.get()).as("first attempt and both retries").isEqualTo(3);
    }

    @Test
    void anInternalErrorWithoutAnS3BodyIsAStorageOutage() throws IOException {
        BlobStore store = storeAnswering(500, "<html>proxy error</html>");

        assertThatThrownBy(() -> store.put("work/x/stylized.png", new byte[] {1}, "image/png"))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void aMissingSourceIsPermanentAndNotRetried() throws IOException {
        BlobStore store = storeAnswering(404, error("NoSuchKey", "The specified key does not exist."));

        assertThatThrownBy(() -> store.get(SOURCE)).isInstanceOf(BlobNotFoundException.class);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aSourceInAMissingBucketIsMissingButWritingIntoOneIsAStorageProblem() throws IOException {
        BlobStore store = storeAnswering(404, error("NoSuchBucket", "The specified bucket does not exist."));

        assertThatThrownBy(() -> store.get(SOURCE)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.put("results/x/anime.png", new byte[] {1}, "image/png"))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void refusedCredentialsAreNotThePicturesFault() throws IOException {
        BlobStore store = storeAnswering(403, error("AccessDenied", "Access Denied."));

        assertThatThrownBy(() -> store.get(SOURCE)).isInstanceOf(StorageException.class);
    }

    @Test
    void aBodyCutShortIsAStorageOutage() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            exchange.close();
        });
        server.start();
        BlobStore store =
                new BlobStore(config("http://127.0.0.1:" + server.getAddress().getPort()), QUICK);

        assertThatThrownBy(() -> store.get(SOURCE)).isInstanceOf(StorageException.class);
        assertThat(requests.get()).isEqualTo(3);
    }

    private BlobStore storeAnswering(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return new BlobStore(config("http://127.0.0.1:" + server.getAddress().getPort()), QUICK);
    }

    private static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><Resource>/animegan/inputs/x/original</Resource><RequestId>1</RequestId><HostId>h</HostId></Error>";
    }

    private static StorageConfig config(String endpoint) {
        return new StorageConfig(endpoint, "access", "secret-for-tests", "animegan", "us-east-1");
    }
}
