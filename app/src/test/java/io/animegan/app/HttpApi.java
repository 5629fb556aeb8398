package io.animegan.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A client of the public HTTP contract, as an integrator would write it. */
final class HttpApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  HttpApi(int port) {
    this.base = "http://localhost:" + port;
  }

  record Response(int status, byte[] body, String contentType) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  Response upload(String fileName, byte[] bytes, Map<String, String> fields) throws IOException, InterruptedException {
    String boundary = "----animegan" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var field : fields.entrySet()) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
          + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/images"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
    return send(request);
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  /** Polls the status until it is done or failed. */
  JsonNode awaitFinished(String id, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Response response = get("/api/images/" + id);
      if (response.status() == 200) {
        JsonNode status = response.json();
        String state = status.path("status").asText();
        if (state.equals("done") || state.equals("failed")) {
          return status;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("image " + id + " not finished within " + timeout + ": " + new String(get("/api/images/" + id).body()));
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Response(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""));
  }
}
