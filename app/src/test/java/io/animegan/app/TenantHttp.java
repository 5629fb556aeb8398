package io.animegan.app;

import io.animegan.client.AnimeganClient;
import io.animegan.client.Multipart;
import io.animegan.ingest.contract.ContractValidator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** One tenant's HTTP calls to ingest: its bearer token on every request, redirects not followed. */
final class TenantHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final String base;
    private final String token;

    TenantHttp(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    /** A response's status and body (for an event stream: its first event, read until the blank line). */
    record Answer(int status, String body) {}

    Answer get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).GET();
        if (path.contains("/events")) {
            request.header("Accept", "text/event-stream"); // as a browser's EventSource asks; anything else is 406
        }
        HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            boolean stream =
                    response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            byte[] body = stream ? null : in.readAllBytes();
            ContractValidator.instance()
                    .check(
                            "GET",
                            response.uri(),
                            response.statusCode(),
                            response.headers().map(),
                            body);
            return new Answer(
                    response.statusCode(), stream ? firstEvent(in) : new String(body, StandardCharsets.ISO_8859_1));
        }
    }

    Answer postJson(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = ContractValidator.instance()
                .check(CLIENT.send(
                        request(path)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
        return new Answer(response.statusCode(), response.body());
    }

    /** {@code POST path} with one file part and form fields. */
    Answer upload(String path, String fileName, byte[] bytes, Map<String, String> fields)
            throws IOException, InterruptedException {
        Multipart body = Multipart.of(List.of(new AnimeganClient.Part(fileName, bytes)), fields);
        HttpResponse<String> response = ContractValidator.instance()
                .check(CLIENT.send(
                        request(path)
                                .header("Content-Type", body.contentType())
                                .POST(body.publisher())
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
        return new Answer(response.statusCode(), response.body());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /**
     * The data of every event of the stream at {@code path}, read until one satisfies {@code last}
     * (included) or {@code timeout} passed (checked at each line: the server's heartbeats wake it).
     */
    List<String> events(String path, java.util.function.Predicate<String> last, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<java.util.stream.Stream<String>> response = CLIENT.send(
                request(path).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        ContractValidator.instance()
                .check(
                        "GET",
                        response.uri(),
                        response.statusCode(),
                        response.headers().map(),
                        null);
        if (response.statusCode() != 200) {
            throw new AssertionError("stream " + path + " answered " + response.statusCode());
        }
        List<String> events = new java.util.ArrayList<>();
        try (java.util.stream.Stream<String> lines = response.body()) {
            java.util.Iterator<String> it = lines.iterator();
            Awaitility.await("the last event of " + path)
                    .atMost(timeout)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        if (!it.hasNext()) {
                            throw new AssertionError("stream " + path + " ended before its last event; got " + events);
                        }
                        String line = it.next();
                        if (!line.startsWith("data:")) {
                            return false;
                        }
                        String data = line.substring("data:".length()).strip();
                        events.add(data);
                        return last.test(data);
                    });
        }
        return events;
    }

    private static String firstEvent(InputStream in) throws IOException {
        StringBuilder event = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.length() == 0 && event.indexOf("data:") >= 0) {
                break;
            }
            if (line.length() > 0 && line.charAt(0) != ':') {
                event.append(line).append('\n');
            }
            line.setLength(0);
        }
        return event.toString();
    }
}
