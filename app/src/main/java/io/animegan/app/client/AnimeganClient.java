package io.animegan.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A client of the public HTTP API, as an integrator would write one (used by the CLI and tests). */
public final class AnimeganClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  public AnimeganClient(String baseUrl) {
    this(baseUrl, null);
  }

  /** @param token API token sent as {@code Authorization: Bearer}; null or blank for none */
  public AnimeganClient(String baseUrl, String token) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  public record Response(int status, byte[] body, String contentType) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
      }
    }
  }

  /** POST /api/images with one file part and the given form fields. */
  public Response upload(String fileName, byte[] bytes, Map<String, String> fields) throws IOException, InterruptedException {
    return postMultipart("/api/images", List.of(new Part(fileName, bytes)), fields);
  }

  /** One file of a multipart request. */
  public record Part(String fileName, byte[] bytes) {}

  /** POST /api/jobs with the files and form fields: one job; bad files come back under "refused". */
  public Response createJob(List<Part> files, Map<String, String> fields) throws IOException, InterruptedException {
    return postMultipart("/api/jobs", files, fields);
  }

  /** POST /api/jobs naming objects already in the service's bucket. */
  public Response createJobFromKeys(List<String> keys, Map<String, String> options) throws IOException, InterruptedException {
    byte[] body = JSON.writeValueAsBytes(Map.of("keys", keys, "options", options));
    return send(HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private Response postMultipart(String path, List<Part> files, Map<String, String> fields)
      throws IOException, InterruptedException {
    Multipart body = Multipart.of(files, fields);
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", body.contentType())
        .POST(body.publisher()));
  }

  /** The id of the one image an accepted upload created. */
  public static String imageId(Response accepted) {
    if (accepted.status() != 202) {
      throw new IllegalStateException("upload refused (" + accepted.status() + "): " + new String(accepted.body(), StandardCharsets.UTF_8));
    }
    return accepted.json().path("images").get(0).path("id").asText();
  }

  public Response get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public JsonNode status(String id) throws IOException, InterruptedException {
    return get("/api/images/" + id).json();
  }

  /** Polls the status until it is done or failed. */
  public JsonNode awaitFinished(String id, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Response response = get("/api/images/" + id);
      if (response.status() == 200 && isFinished(response.json())) {
        return response.json();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("image " + id + " not finished within " + timeout);
  }

  public static boolean isFinished(JsonNode status) {
    String state = status.path("status").asText();
    return state.equals("done") || state.equals("failed");
  }

  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""));
  }
}
