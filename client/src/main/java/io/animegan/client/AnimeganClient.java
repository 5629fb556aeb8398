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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A client of the public HTTP API, as an integrator would write one (the CLI's submit and batch use it).
 *
 * <p>{@link #submitImages}, {@link #submitJob}, {@link #submitJobOfKeys}, {@link #downloadResult},
 * {@link #submitVideo}, {@link #videoStatus}, {@link #awaitVideo} and {@link #downloadVideo} throw {@link ClientError} or {@link ServerError} when the service refuses;
 * {@link #get}, {@link #upload} and {@link #createJob} hand back any {@link Response} as it came. Every
 * request that is answered 429 or 503 with a {@code Retry-After} is sent again after that delay, up
 * to {@link #DEFAULT_RETRIES} times, as long as the delay is at most {@link #MAX_RETRY_WAIT}.
 */
public final class AnimeganClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often statuses are asked for while the event stream is not working. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    public static final int DEFAULT_RETRIES = 3;
    /** A longer Retry-After is the service saying "not soon": the refusal goes to the caller instead. */
    public static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(60);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;
    private final int retries;

    public AnimeganClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** @param token API token sent as {@code Authorization: Bearer}; null or blank for none */
    public AnimeganClient(String baseUrl, String token) {
        this(baseUrl, token, DEFAULT_RETRIES);
    }

    /** @param retries how many times a 429 or 503 with {@code Retry-After} is sent again; 0 for never */
    public AnimeganClient(String baseUrl, String token, int retries) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.retries = retries;
    }

    /** One answer of the service, whatever its status. */
    public record Response(int status, byte[] body, String contentType, Duration retryAfter) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        /** The {@code error} of the service's JSON error body, or the body's text when it is not one. */
        public String error() {
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                JsonNode error = JSON.readTree(body).path("error");
                return error.isTextual() ? error.asText() : text;
            } catch (IOException e) {
                return text;
            }
        }

        /** The stable {@code code} of the service's JSON error body, when it sends one. */
        public Optional<String> code() {
            try {
                JsonNode code = JSON.readTree(body).path("code");
                return code.isTextual() ? Optional.of(code.asText()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** This response when it is a success (2xx or 3xx); otherwise the {@link ApiError} it says. */
        public Response orThrow() throws ApiError {
            if (status >= 400) {
                throw ApiError.of(this);
            }
            return this;
        }
    }

    /** One picture the service accepted: its id, the file name it was sent under, and the style it is made in. */
    public record Image(String id, String name, String style) {}

    /** One clip the service accepted: its id, the file name it was sent under, and the style it is drawn in. */
    public record Video(String id, String name, String style) {}

    /** A file the service refused within a job that it accepted, and why. */
    public record Refusal(String name, String error) {}

    /** An accepted job: its id, its pictures and clips (one per file and style) and the files it refused. */
    public record Job(String id, List<Image> images, List<Video> videos, List<Refusal> refused) {}

    /** A finished picture's bytes and their media type ({@code image/png} or {@code image/jpeg}). */
    public record Result(byte[] bytes, String contentType) {
        /** {@code .jpg} or {@code .png}, after the media type. */
        public String extension() {
            return contentType.startsWith("image/jpeg") ? ".jpg" : ".png";
        }
    }

    /**
     * {@code POST /api/images}: the photos in one request; the service accepts all or none of them.
     *
     * @return one image per photo and style
     */
    public List<Image> submitImages(List<Path> photos, ImageOptions options) throws IOException, InterruptedException {
        JsonNode accepted = postMultipart("/api/images", parts(photos), options.fields())
                .orThrow()
                .json();
        return images(accepted.path("images"));
    }

    /**
     * {@code POST /api/jobs} uploading the files, photos and clips alike (the service tells them
     * apart by their first bytes): one job; files the service cannot use come back refused.
     */
    public Job submitJob(List<Path> photos, ImageOptions options) throws IOException, InterruptedException {
        return job(createJob(parts(photos), options.fields()).orThrow().json());
    }

    /** {@code POST /api/jobs} naming objects already in the service's bucket ({@code s3://bucket/key}). */
    public Job submitJobOfKeys(List<String> keys, ImageOptions options) throws IOException, InterruptedException {
        return job(createJobFromKeys(keys, options.fields()).orThrow().json());
    }

    /** {@code GET /api/images/{id}/result}: the finished picture. */
    public Result downloadResult(String id) throws IOException, InterruptedException {
        Response result = get("/api/images/" + id + "/result").orThrow();
        return new Result(result.body(), result.contentType());
    }

    /**
     * {@code POST /api/videos}: one clip, streamed from disk as it is sent.
     *
     * @return the clip the service accepted
     */
    public Video submitVideo(Path clip, VideoOptions options) throws IOException, InterruptedException {
        Multipart body = Multipart.ofFile(clip, options.fields());
        JsonNode accepted = send(HttpRequest.newBuilder(URI.create(base + "/api/videos"))
                        .header("Content-Type", body.contentType())
                        .POST(body.publisher()))
                .orThrow()
                .json();
        JsonNode video = accepted.path("videos").path(0);
        return new Video(
                video.path("id").asText(),
                video.path("name").asText(),
                video.path("style").asText());
    }

    /** {@code GET /api/videos/{id}}: the clip's status now. */
    public VideoStatus videoStatus(String id) throws IOException, InterruptedException {
        return VideoStatus.of(get("/api/videos/" + id).orThrow().json());
    }

    /**
     * Waits until the clip is done or failed. The service pushes the clip's changes over its event
     * stream ({@code GET /api/videos/{id}/events}), which this follows as {@link #awaitFinished}
     * follows images: only while the stream cannot be opened or has broken does it ask for the
     * status every {@link #POLL_INTERVAL} instead, then tries the stream again.
     *
     * @return the status then
     * @throws IllegalStateException when the timeout passes first
     * @throws ApiError when the service refuses (an unknown id is a 404 {@link ClientError})
     */
    public VideoStatus awaitVideo(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = followVideo(id, deadline);
            VideoStatus status = videoStatus(id);
            if (status.isFinished()) {
                return status;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("video " + id + " not finished in " + timeout + " (" + status.status()
                        + ", " + status.framesDone() + " of " + status.frames() + " frames)");
            }
            if (!ended) {
                Thread.sleep(Math.min(POLL_INTERVAL.toMillis(), Math.max(1, left / 1_000_000)));
            }
        }
    }

    /**
     * Follows the clip's event stream until the service ends it (true: it is opened again at once),
     * or until it tells the clip finished, breaks or the deadline passes (false); the status asked
     * for then says which.
     */
    private boolean followVideo(String id, long deadline) throws InterruptedException {
        try (ProgressStream stream = ProgressStream.openVideo(base, token, id)) {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                ProgressStream.Signal signal = stream.next(Duration.ofNanos(left));
                if (signal != null) {
                    return signal instanceof ProgressStream.Ended;
                }
            }
        }
    }

    /**
     * {@code GET /api/videos/{id}/result}: the finished clip (MP4) written to {@code target} as it
     * arrives; the file appears whole or not at all.
     *
     * @return {@code target}
     */
    public Path downloadVideo(String id, Path target) throws IOException, InterruptedException {
        Path folder = target.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(folder, ".download-", ".part");
        try {
            HttpResponse.BodyHandler<byte[]> toFileWhenOk = info -> info.statusCode() == 200
                    ? HttpResponse.BodySubscribers.mapping(
                            HttpResponse.BodySubscribers.ofFile(
                                    partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
                            written -> new byte[0])
                    : HttpResponse.BodySubscribers.ofByteArray();
            send(
                            HttpRequest.newBuilder(URI.create(base + "/api/videos/" + id + "/result"))
                                    .GET(),
                            toFileWhenOk)
                    .orThrow();
            return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static List<Part> parts(List<Path> photos) throws IOException {
        List<Part> parts = new ArrayList<>(photos.size());
        for (Path photo : photos) {
            parts.add(new Part(photo.getFileName().toString(), Files.readAllBytes(photo)));
        }
        return parts;
    }

    private static List<Image> images(JsonNode array) {
        List<Image> images = new ArrayList<>();
        for (JsonNode image : array) {
            images.add(new Image(
                    image.path("id").asText(),
                    image.path("name").asText(),
                    image.path("style").asText()));
        }
        return images;
    }

    private static Job job(JsonNode created) {
        List<Refusal> refused = new ArrayList<>();
        for (JsonNode refusal : created.path("refused")) {
            refused.add(new Refusal(
                    refusal.path("name").asText(), refusal.path("error").asText()));
        }
        List<Video> videos = new ArrayList<>();
        for (JsonNode video : created.path("videos")) {
            videos.add(new Video(
                    video.path("id").asText(),
                    video.path("name").asText(),
                    video.path("style").asText()));
        }
        return new Job(created.path("job").asText(), images(created.path("images")), videos, refused);
    }

    /** POST /api/images with one file part and the given form fields. */
    public Response upload(String fileName, byte[] bytes, Map<String, String> fields)
            throws IOException, InterruptedException {
        return postMultipart("/api/images", List.of(new Part(fileName, bytes)), fields);
    }

    /** One file of a multipart request. */
    public record Part(String fileName, byte[] bytes) {}

    /** POST /api/jobs with the files and form fields: one job; bad files come back under "refused". */
    public Response createJob(List<Part> files, Map<String, String> fields) throws IOException, InterruptedException {
        return postMultipart("/api/jobs", files, fields);
    }

    /** POST /api/jobs naming objects already in the service's bucket. */
    public Response createJobFromKeys(List<String> keys, Map<String, String> options)
            throws IOException, InterruptedException {
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
            throw new IllegalStateException("upload refused (" + accepted.status() + "): "
                    + new String(accepted.body(), StandardCharsets.UTF_8));
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
                    Thread.sleep(Math.min(
                            POLL_INTERVAL.toMillis(),
                            remaining(deadline, waiting).toMillis()));
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
    private boolean confirm(String id, Set<String> waiting, FinishedHandler handler)
            throws IOException, InterruptedException {
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
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private Response send(HttpRequest.Builder request, HttpResponse.BodyHandler<byte[]> bodies)
            throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.build();
        for (int attempt = 0; ; attempt++) {
            Response response = answer(http.send(built, bodies));
            if (attempt == retries || !retriable(response)) {
                return response;
            }
            Thread.sleep(response.retryAfter().toMillis());
        }
    }

    /** A 429 or 503 that says when to come back, soon enough to wait for. */
    private static boolean retriable(Response response) {
        return (response.status() == 429 || response.status() == 503)
                && response.retryAfter() != null
                && response.retryAfter().compareTo(MAX_RETRY_WAIT) <= 0;
    }

    private static Response answer(HttpResponse<byte[]> response) {
        return new Response(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.headers()
                        .firstValue("Retry-After")
                        .map(AnimeganClient::retryAfter)
                        .orElse(null));
    }

    /** A {@code Retry-After} value, seconds or an HTTP date; null when it is neither. */
    static Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
