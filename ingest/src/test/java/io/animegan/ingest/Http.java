package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.ingest.contract.ContractValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A small HTTP client for the tests, with a multipart body builder. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    Http(int port) {
        this(port, null);
    }

    /** @param token sent as {@code Authorization: Bearer <token>} on every request; null for none */
    Http(int port, String token) {
        this.base = "http://localhost:" + port;
        this.token = token;
    }

    Http withToken(String otherToken) {
        return new Http(URI.create(base).getPort(), otherToken);
    }

    HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A GET carrying only a Cookie header, as a browser's {@code <img src>} would. */
    HttpResponse<byte[]> getWithCookie(String path, String cookie) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Cookie", cookie)
                .GET());
    }

    HttpResponse<byte[]> request(String method, String path) {
        return send(
                HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<byte[]> post(Multipart body) {
        return post(body, false);
    }

    /** @param chunked send without Content-Length, so only the server's own limits stop it */
    HttpResponse<byte[]> post(Multipart body, boolean chunked) {
        byte[] bytes = body.bytes();
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        return send(HttpRequest.newBuilder(URI.create(base + "/api/images"))
                .header("Content-Type", "multipart/form-data; boundary=" + body.boundary)
                .POST(publisher));
    }

    /** A multipart upload to another route, e.g. {@code /api/videos}. */
    HttpResponse<byte[]> post(String path, Multipart body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + body.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
    }

    /** A GET with one more header, e.g. a Range. */
    HttpResponse<byte[]> get(String path, String header, String value) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header(header, value)
                .GET());
    }

    /** A multipart job, as {@code POST /api/jobs} takes it. */
    HttpResponse<byte[]> postJob(Multipart body) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=" + body.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
    }

    HttpResponse<byte[]> postRaw(String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/images"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return ContractValidator.instance()
                    .check(client.send(
                            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "not JSON (" + response.statusCode() + "): " + new String(response.body(), StandardCharsets.UTF_8),
                    e);
        }
    }

    static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** multipart/form-data body. */
    static final class Multipart {
        final String boundary = "----ingest-test-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart file(String fileName, byte[] content) {
            return part("file", fileName, content);
        }

        Multipart field(String name, String value) {
            return part(name, null, value.getBytes(StandardCharsets.UTF_8));
        }

        Multipart part(String name, String fileName, byte[] content) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (fileName != null
                            ? "; filename=\"" + fileName + "\"\r\nContent-Type: application/octet-stream"
                            : "")
                    + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }
    }

    /** The response is a JSON error with this status, whose text mentions each of {@code mentions}. */
    static void assertError(HttpResponse<byte[]> response, int status, String... mentions) {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(Http.contentType(response)).startsWith("application/json");
        String error = Http.json(response).get("error").asText();
        assertThat(error).isNotBlank();
        for (String mention : mentions) {
            assertThat(error).contains(mention);
        }
    }
}
