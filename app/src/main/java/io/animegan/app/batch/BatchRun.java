package io.animegan.app.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.app.batch.Manifest.Entry;
import io.animegan.app.batch.Manifest.State;
import io.animegan.client.AnimeganClient;
import io.animegan.client.AnimeganClient.Part;
import io.animegan.client.AnimeganClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One batch: every photo and clip of the input converted through the jobs API into the output
 * (a clip's result is an MP4 beside the photos' pictures). Resumable: the {@link Manifest} in the
 * output remembers each file by the hash of its bytes and options, so a rerun skips files whose
 * result is there, follows files already submitted instead of sending them again, and only
 * submits the rest. A bad file is reported and the batch goes on.
 */
public final class BatchRun {

    static final Pattern PHOTO = Pattern.compile("(?i).+\\.(jpe?g|png|webp|bmp|tiff?)$");
    static final Pattern CLIP = Pattern.compile("(?i).+\\.(mp4|mov|m4v|mkv|webm)$");
    /** Attempts to create a job while the service answers 5xx or cannot be reached (an outage, not a bad photo). */
    static final int SUBMIT_ATTEMPTS = 5;
    /**
     * How long a job may be unknown to the service before the batch stops waiting for it. A new job
     * is unknown for a moment (its events are folded asynchronously); one unknown for long has
     * outlived the service's status retention.
     */
    static final Duration UNKNOWN_GRACE = Duration.ofMinutes(2);

    /**
     * @param options the form fields sent with every photo (maxSide, format, faces, style); part of each photo's hash
     * @param filesPerJob most photos sent in one request (the service's files-per-request limit); more make several jobs
     * @param retryFailed send photos that failed in an earlier run again
     */
    public record Settings(Map<String, String> options, int filesPerJob, Duration pollInterval, boolean retryFailed) {
        public Settings {
            options = new TreeMap<>(options);
        }
    }

    /** Told as photos finish, for a progress bar. */
    public interface Progress {
        void total(int photos);

        /** @param etaSeconds the service's estimate for the jobs still running, or null */
        void finished(String name, boolean converted, Long etaSeconds);
    }

    /**
     * @param converted photos whose result was written in this run
     * @param skipped photos whose result an earlier run had written
     * @param problems one line per photo that failed or was refused (this run or before)
     * @param jobs the jobs this run created
     */
    public record Report(int photos, int converted, int skipped, List<String> problems, List<String> jobs) {
        public int exitCode() {
            return problems.isEmpty() ? 0 : 1;
        }
    }

    /** A photo or a clip of the input, told apart by its name's extension. */
    private record Item(String name, String hash) {
        boolean isClip() {
            return CLIP.matcher(name).matches();
        }

        /** Where the service serves its status: {@code /api/images/{id}} or {@code /api/videos/{id}}. */
        String statusPath(String id) {
            return (isClip() ? "/api/videos/" : "/api/images/") + id;
        }
    }

    private final AnimeganClient client;
    private final BatchLocation input;
    private final BatchLocation output;
    private final Settings settings;
    private final Progress progress;
    private final List<String> problems = new ArrayList<>();
    private final List<String> jobs = new ArrayList<>();
    /** Image id to the photo it came from, for photos submitted and not finished. */
    private final Map<String, Item> pending = new LinkedHashMap<>();
    /** Job id to when the service first answered 404 for it (System.nanoTime). */
    private final Map<String, Long> unknownSince = new HashMap<>();

    private Manifest manifest;
    private Map<String, String> resultNames;
    private int converted;

    public BatchRun(
            AnimeganClient client, BatchLocation input, BatchLocation output, Settings settings, Progress progress) {
        this.client = client;
        this.input = input;
        this.output = output;
        this.settings = settings;
        this.progress = progress;
    }

    public Report run() throws IOException, InterruptedException {
        List<String> names = input.list().stream()
                .filter(n -> PHOTO.matcher(n).matches() || CLIP.matcher(n).matches())
                .toList();
        progress.total(names.size());
        manifest = Manifest.load(output);
        resultNames = resultNames(names);
        List<Item> toSubmit = new ArrayList<>();
        int skipped = 0;
        for (String name : names) {
            Item photo = new Item(name, hash(input.read(name), settings.options()));
            Entry entry = manifest.get(photo.hash());
            if (entry != null && entry.state() == State.DONE && output.exists(entry.result())) {
                skipped++;
                progress.finished(name, true, null);
            } else if (entry != null && entry.state() == State.FAILED && !settings.retryFailed()) {
                problems.add(name + ": " + entry.error() + " (earlier run)");
                progress.finished(name, false, null);
            } else if (entry != null && entry.state() == State.PENDING) {
                pending.put(entry.imageId(), photo);
                if (!jobs.contains(entry.job())) {
                    jobs.add(entry.job());
                }
            } else {
                toSubmit.add(photo);
            }
        }
        for (int from = 0; from < toSubmit.size(); from += settings.filesPerJob()) {
            submit(toSubmit.subList(from, Math.min(toSubmit.size(), from + settings.filesPerJob())));
        }
        follow();
        return new Report(names.size(), converted, skipped, List.copyOf(problems), List.copyOf(jobs));
    }

    /** Creates one job of these photos; refused photos are recorded as failed. */
    private void submit(List<Item> photos) throws IOException, InterruptedException {
        Map<String, Item> byName = new HashMap<>();
        photos.forEach(p -> byName.put(p.name(), p));
        Response response = createJob(photos);
        if (response.status() == 401 || response.status() == 403) {
            throw new IOException("the service refused the batch (" + response.status() + "): " + errorOf(response)
                    + "; check --token / ANIMEGAN_API_TOKEN");
        }
        if (response.status() != 202) {
            // The whole request was refused (e.g. a bucket the service does not use, or no convertible photo):
            // reported, but not recorded, so a rerun tries these photos again.
            String error = errorOf(response);
            for (Item photo : photos) {
                problems.add(photo.name() + ": refused: " + error);
                progress.finished(photo.name(), false, null);
            }
            return;
        }
        JsonNode body = response.json();
        String job = body.path("job").asText();
        jobs.add(job);
        for (JsonNode refused : body.path("refused")) {
            Item photo = byName.get(lastSegment(refused.path("name").asText()));
            if (photo != null) {
                fail(photo, null, job, "refused: " + refused.path("error").asText());
            }
        }
        List<JsonNode> accepted = new ArrayList<>();
        body.path("images").forEach(accepted::add);
        body.path("videos").forEach(accepted::add);
        for (JsonNode item : accepted) {
            Item photo = byName.get(lastSegment(item.path("name").asText()));
            String id = item.path("id").asText();
            if (photo != null) {
                manifest.put(photo.hash(), new Entry(photo.name(), id, job, State.PENDING, null, null));
                pending.put(id, photo);
            }
        }
    }

    private Response createJob(List<Item> photos) throws IOException, InterruptedException {
        IOException lastError = null;
        for (int attempt = 1; attempt <= SUBMIT_ATTEMPTS; attempt++) {
            try {
                Response response = send(photos);
                if (response.status() < 500) {
                    return response;
                }
                lastError = new IOException("service answered " + response.status() + ": " + errorOf(response));
            } catch (IOException e) {
                lastError = e;
            }
            Thread.sleep(Math.min(10_000L, 500L << attempt));
        }
        throw lastError;
    }

    /** Photos in the service's own bucket are named by key; any others are uploaded. */
    private Response send(List<Item> photos) throws IOException, InterruptedException {
        S3Location.Address address = input.s3Address();
        if (address != null) {
            return client.createJobFromKeys(
                    photos.stream()
                            .map(p -> "s3://" + address.bucket() + "/" + address.key(p.name()))
                            .toList(),
                    settings.options());
        }
        List<Part> parts = new ArrayList<>(photos.size());
        for (Item photo : photos) {
            parts.add(new Part(photo.name(), input.read(photo.name())));
        }
        return client.createJob(parts, settings.options());
    }

    /** Polls the jobs until every submitted photo is finished, saving each result as it comes. */
    private void follow() throws IOException, InterruptedException {
        while (!pending.isEmpty()) {
            Long eta = null;
            for (String job : List.copyOf(jobs)) {
                Response response = client.get("/api/jobs/" + job);
                if (response.status() == 404) {
                    long since = unknownSince.computeIfAbsent(job, j -> System.nanoTime());
                    if (System.nanoTime() - since > UNKNOWN_GRACE.toNanos()) {
                        settleWithoutJob(job);
                    }
                    continue;
                }
                unknownSince.remove(job);
                if (response.status() != 200) {
                    continue; // the status store is busy (503): ask again next round
                }
                JsonNode view = response.json();
                if (!view.path("etaSeconds").isNull()
                        && !view.path("etaSeconds").isMissingNode()) {
                    eta = Math.max(
                            eta == null ? 0 : eta, view.path("etaSeconds").asLong());
                }
                for (String done : List.of("doneImages", "doneVideos")) {
                    for (JsonNode id : view.path(done)) {
                        Item photo = pending.get(id.asText());
                        if (photo != null) {
                            saveResult(id.asText(), photo, job, eta);
                        }
                    }
                }
                for (String failed : List.of("failedImages", "failedVideos")) {
                    for (JsonNode id : view.path(failed)) {
                        Item photo = pending.get(id.asText());
                        if (photo != null) {
                            JsonNode status =
                                    client.get(photo.statusPath(id.asText())).json();
                            fail(photo, id.asText(), job, "failed: " + error(status));
                            pending.remove(id.asText());
                        }
                    }
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(settings.pollInterval().toMillis());
            }
        }
    }

    private void saveResult(String imageId, Item photo, String job, Long eta) throws IOException, InterruptedException {
        Response result = client.get(photo.statusPath(imageId) + "/result");
        if (result.status() != 200) {
            return; // e.g. storage busy: the next round tries again
        }
        String contentType = photo.isClip()
                ? "video/mp4"
                : result.contentType().startsWith("image/jpeg") ? "image/jpeg" : "image/png";
        String extension = switch (contentType) {
            case "video/mp4" -> ".mp4";
            case "image/jpeg" -> ".jpg";
            default -> ".png";
        };
        String resultName = resultNames.get(photo.name()) + extension;
        output.write(resultName, result.body(), contentType);
        manifest.put(photo.hash(), new Entry(photo.name(), imageId, job, State.PENDING, null, null).done(resultName));
        pending.remove(imageId);
        converted++;
        progress.finished(photo.name(), true, eta);
    }

    /** A job the service has not known for {@link #UNKNOWN_GRACE}: ask about each picture, or submit it again next run. */
    private void settleWithoutJob(String job) throws IOException, InterruptedException {
        for (var entry : new ArrayList<>(pending.entrySet())) {
            Entry recorded = manifest.get(entry.getValue().hash());
            if (recorded == null || !job.equals(recorded.job())) {
                continue;
            }
            Response status = client.get(entry.getValue().statusPath(entry.getKey()));
            if (status.status() == 200
                    && "done".equals(status.json().path("status").asText())) {
                saveResult(entry.getKey(), entry.getValue(), job, null);
            } else if (status.status() == 200
                    && "failed".equals(status.json().path("status").asText())) {
                fail(entry.getValue(), entry.getKey(), job, "failed: " + error(status.json()));
                pending.remove(entry.getKey());
            } else if (status.status() == 404) {
                manifest.remove(entry.getValue().hash());
                problems.add(entry.getValue().name()
                        + ": the service no longer knows it; run the batch again to resubmit it");
                pending.remove(entry.getKey());
                progress.finished(entry.getValue().name(), false, null);
            }
        }
        if (pending.values().stream()
                .noneMatch(p -> manifest.get(p.hash()) != null
                        && job.equals(manifest.get(p.hash()).job()))) {
            jobs.remove(job);
        }
    }

    private void fail(Item photo, String imageId, String job, String why) throws IOException {
        manifest.put(photo.hash(), new Entry(photo.name(), imageId, job, State.FAILED, null, why));
        problems.add(photo.name() + ": " + why);
        progress.finished(photo.name(), false, null);
    }

    /** "holiday.jpg" gives "holiday.anime"; photos sharing a base name keep their extension in it. */
    static Map<String, String> resultNames(List<String> names) {
        Map<String, Integer> bases = new HashMap<>();
        names.forEach(n -> bases.merge(base(n), 1, Integer::sum));
        Map<String, String> result = new HashMap<>();
        for (String name : names) {
            result.put(name, (bases.get(base(name)) > 1 ? name : base(name)) + ".anime");
        }
        return result;
    }

    private static String base(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Why a picture or a clip failed: a picture's status says it in one line, a clip's as its code and message. */
    private static String error(JsonNode status) {
        JsonNode error = status.path("error");
        return error.isObject()
                ? error.path("code").asText() + ": " + error.path("message").asText()
                : error.asText();
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static String errorOf(Response response) {
        try {
            return response.json().path("error").asText("HTTP " + response.status());
        } catch (RuntimeException e) {
            return "HTTP " + response.status();
        }
    }

    /** SHA-256 of the file's bytes and the options it is converted with, hex. */
    static String hash(byte[] bytes, Map<String, String> options) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes);
            sha.update(
                    new TreeMap<>(options).toString().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
