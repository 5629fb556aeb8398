package io.animegan.app;

import io.animegan.app.client.AnimeganClient;
import io.animegan.app.client.Multipart;
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
    HttpResponse<InputStream> response = CLIENT.send(request(path).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
      return new Answer(response.statusCode(), stream ? firstEvent(in) : new String(in.readAllBytes(),
          StandardCharsets.ISO_8859_1));
    }
  }

  Answer postJson(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  /** {@code POST path} with one file part and form fields. */
  Answer upload(String path, String fileName, byte[] bytes, Map<String, String> fields)
      throws IOException, InterruptedException {
    Multipart body = Multipart.of(List.of(new AnimeganClient.Part(fileName, bytes)), fields);
    HttpResponse<String> response = CLIENT.send(request(path)
        .header("Content-Type", body.contentType())
        .POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
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
