package io.animegan.client;

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
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A client of the public HTTP API, as an integrator would write one (used by the CLI and tests). */
public final class AnimeganClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often statuses are asked for while the event stream is not working. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

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

  /** Receives an image's status once it is done or failed. */
  @FunctionalInterface
  public interface FinishedHandler {
    void finished(String id, JsonNode status) throws IOException, InterruptedException;
  }

  /** Waits until the image is done or failed and returns its status then (see {@link #awaitFinished(Collection, Duration, FinishedHandler)}). */
  public JsonNode awaitFinished(String id, Duration timeout) throws IOException, InterruptedException {
    JsonNode[] finished = new JsonNode[1];
    awaitFinished(List.of(id), timeout, (finishedId, status) -> finished[0] = status);
    return finished[0];
  }

  /**
   * Waits until every image is done or failed, handing each one's status to {@code handler} as it
   * finishes. The service pushes progress over its event stream ({@code GET /api/events}), which
   * this follows for up to {@value ProgressStream#MAX_IDS} images at a time; only while a stream
   * cannot be opened or has broken does it ask for the statuses instead, then tries the stream again.
   *
   * @param timeout how long to wait in all, or null for no limit
   * @throws IllegalStateException when the timeout passes first
   */
  public void awaitFinished(Collection<String> ids, Duration timeout, FinishedHandler handler)
      throws IOException, InterruptedException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    Set<String> waiting = new LinkedHashSet<>(ids);
    while (!waiting.isEmpty()) {
      List<String> batch = waiting.stream().limit(ProgressStream.MAX_IDS).toList();
      if (!follow(batch, waiting, deadline, handler)) {
        pollOnce(waiting, handler);
        if (!waiting.isEmpty()) {
          Thread.sleep(Math.min(POLL_INTERVAL.toMillis(), remaining(deadline, waiting).toMillis()));
        }
      }
    }
  }

  /**
   * Follows {@code batch} over one event stream until each of its images finished or the service
   * ended the stream (true), or until the stream broke or told of an image the status does not
   * show finished yet (false).
   */
  private boolean follow(List<String> batch, Set<String> waiting, long deadline, FinishedHandler handler)
      throws IOException, InterruptedException {
    Set<String> open = new HashSet<>(batch);
    try (ProgressStream stream = ProgressStream.open(base, token, batch)) {
      while (!open.isEmpty()) {
        ProgressStream.Signal signal = stream.next(remaining(deadline, waiting));
        if (signal == null) {
          remaining(deadline, waiting);
        } else if (signal instanceof ProgressStream.Finished finished && open.remove(finished.id())) {
          if (!confirm(finished.id(), waiting, handler)) {
            return false;
          }
        } else if (signal instanceof ProgressStream.Broken) {
          return false;
        } else if (signal instanceof ProgressStream.Ended) {
          return true;
        }
      }
      return true;
    }
  }

  /** Asks for each waiting image's status once. */
  private void pollOnce(Set<String> waiting, FinishedHandler handler) throws IOException, InterruptedException {
    for (String id : List.copyOf(waiting)) {
      confirm(id, waiting, handler);
    }
  }

  /** Hands the image's status on and stops waiting for it if the status shows it finished. */
  private boolean confirm(String id, Set<String> waiting, FinishedHandler handler) throws IOException, InterruptedException {
    Response response = get("/api/images/" + id);
    if (response.status() != 200 || !isFinished(response.json())) {
      return false;
    }
    waiting.remove(id);
    handler.finished(id, response.json());
    return true;
  }

  /** The time left before {@code deadline}; throws once it has passed. */
  private static Duration remaining(long deadline, Set<String> waiting) {
    if (deadline == Long.MAX_VALUE) {
      return Duration.ofDays(1);
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new IllegalStateException("images " + waiting + " not finished in time");
    }
    return Duration.ofNanos(left);
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
