package io.animegan.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobStore;
import io.animegan.events.Options;
import io.animegan.events.VideoOptions;
import io.animegan.ingest.ImageRoutes.Upload;
import io.animegan.status.JobStatus;
import io.animegan.status.StatusStore;
import io.animegan.status.TenantJobs;
import io.animegan.submission.ApiException;
import io.animegan.submission.JobInputs;
import io.animegan.submission.JobInputs.StoredInput;
import io.animegan.submission.Submission;
import io.animegan.submission.Submitter;
import io.animegan.submission.Submitter.Accepted;
import io.animegan.submission.Submitter.AcceptedJob;
import io.animegan.submission.Submitter.Refused;
import io.animegan.submission.Tenant;
import io.animegan.submission.UploadBudget;
import io.animegan.submission.UploadValidator;
import io.animegan.submission.VideoSubmitter.VideoUpload;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Jobs: several pictures and clips submitted as one, followed and downloaded together. A job's
 * progress is folded by the status app from its pictures' and clips' events (see
 * {@code io.animegan.status.JobChange}).
 * <ul>
 *   <li>{@code POST /api/jobs}: multipart files as for {@code POST /api/images}, clips among them
 *       (told apart by their first bytes, checked as for {@code POST /api/videos}, drawn with the
 *       same fields' clip options), or JSON
 *       {@code {"keys":["tenants/<tenant>/uploads/a.jpg",...],"options":{...}}} naming objects under the
 *       tenant's input prefix ({@code AdmissionLimits.jobInputPrefix}) in the service's bucket
 *       ({@code options.callbackUrl} asks for webhooks: one per picture and one for the whole job);
 *       answers 202 {@code {"job":id,"images":[{id,name,style}...],"videos":[...],"refused":[{name,error}...]}}:
 *       one bad picture or clip is left out of the job and named, it does not refuse the others (a
 *       missing key does: 400)
 *   <li>{@code GET /api/jobs/{id}}: {@code {id,total,done,failed,pending,etaSeconds,images,doneImages,failedImages,
 *       videos,doneVideos,failedVideos}}
 *   <li>{@code GET /api/jobs/{id}/results.zip}: every finished picture and clip of the job
 * </ul>
 */
public final class JobRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageRoutes images;
    private final VideoRoutes videos;
    private final Submission submission;
    private final ResultFiles results;
    private final TenantJobs jobs;
    private final int maxKeys;

    /** @param maxKeys most S3 keys one job may name */
    public JobRoutes(
            ImageRoutes images,
            VideoRoutes videos,
            Submission submission,
            BlobStore store,
            StatusStore feed,
            int maxKeys) {
        this.images = images;
        this.videos = videos;
        this.submission = submission;
        this.results = new ResultFiles(feed, store);
        this.jobs = new TenantJobs(store);
        this.maxKeys = maxKeys;
    }

    /** 202 answer to a new job. */
    public record JobCreated(String job, List<Accepted> images, List<Accepted> videos, List<Refused> refused) {}

    /** {@code GET /api/jobs/{id}}. */
    public record JobView(
            String id,
            int total,
            int done,
            int failed,
            int pending,
            Long etaSeconds,
            List<String> images,
            List<String> doneImages,
            List<String> failedImages,
            List<String> videos,
            List<String> doneVideos,
            List<String> failedVideos) {

        static JobView of(JobStatus job) {
            return new JobView(
                    job.id(),
                    Math.max(job.total(), job.images().size()),
                    job.done(),
                    job.failed(),
                    job.pending(),
                    job.etaSeconds(),
                    job.imageIds(),
                    job.imageIds(JobStatus.DONE),
                    job.imageIds(JobStatus.FAILED),
                    job.videoIds(),
                    job.videoIds(JobStatus.DONE),
                    job.videoIds(JobStatus.FAILED));
        }
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/jobs", this::create);
        routes.get("/api/jobs/{id}", ctx -> ctx.json(JobView.of(find(ctx))));
        routes.get("/api/jobs/{id}/results.zip", this::zip);
    }

    void create(Context ctx) {
        long started = System.nanoTime();
        Tenant tenant = RequestTenant.of(ctx);
        List<Refused> refused = new ArrayList<>();
        String jobId = UUID.randomUUID().toString();
        AcceptedJob accepted;
        if (ctx.isMultipartFormData()) {
            try (UploadBudget.Share ignored = images.takeBudget(ctx)) {
                accepted = fromFiles(ctx, tenant, refused, started, jobId);
            }
        } else {
            accepted = new AcceptedJob(fromKeys(ctx, tenant, refused, started, jobId), List.of());
        }
        ctx.status(202).json(new JobCreated(jobId, accepted.images(), accepted.videos(), refused));
    }

    /** Multipart pictures and clips: every part checked before anything is stored. */
    private AcceptedJob fromFiles(Context ctx, Tenant tenant, List<Refused> refused, long started, String jobId) {
        List<UploadedFile> clipParts = new ArrayList<>();
        Upload upload = images.readUpload(ctx, refused, clipParts, videos.maxClipBytes());
        List<VideoUpload> clips = videos.checkAll(clipParts, refused);
        JobInputs.requireSome(upload.files().isEmpty() && clips.isEmpty(), refused);
        // Checked before anything is stored, as the pictures' options are.
        List<VideoOptions> clipOptions = clips.isEmpty() ? List.of() : videos.options(ctx.formParamMap());
        if (!upload.files().isEmpty()) {
            images.charge(tenant, upload);
        }
        Submitter.Batch batch =
                submission.submitter().batch(upload.perStyle(), started, jobId, tenant, upload.callbackUrl());
        if (clips.isEmpty()) {
            return submission.submitter().submitJob(batch, () -> upload.files().forEach(batch::add), () -> null);
        }
        try (UploadBudget.Share ignored = videos.clipShare()) {
            return submission
                    .submitter()
                    .submitJob(
                            batch,
                            () -> upload.files().forEach(batch::add),
                            () -> videos.store(clips, clipOptions, upload.callbackUrl(), started, tenant));
        }
    }

    /** {@code {"keys":[...],"options":{...}}}: the named objects, checked and read by {@link JobInputs}. */
    private List<Accepted> fromKeys(Context ctx, Tenant tenant, List<Refused> refused, long started, String jobId) {
        requireJson(ctx);
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("send multipart/form-data files or JSON {\"keys\":[...],\"options\":{...}}");
        }
        JsonNode keys = body == null ? null : body.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            throw ApiException.badRequest("\"keys\" must be a non-empty list of object keys");
        }
        if (keys.size() > maxKeys) {
            throw ApiException.badRequest(keys.size() + " keys in one job; the limit is " + maxKeys);
        }
        Map<String, List<String>> options = fields(body.get("options"));
        List<Options> perStyle = submission.options().parseAll(options);
        String callbackUrl = submission.options().callbackUrl(options);
        List<String> given = new ArrayList<>();
        keys.forEach(key -> given.add(key.asText()));
        List<StoredInput> objects = submission.jobInputs().check(tenant, given, refused);
        long bytes = objects.stream().mapToLong(StoredInput::size).sum();
        if (!objects.isEmpty()) {
            submission.quotas().charge(tenant, (long) objects.size() * perStyle.size(), bytes * perStyle.size());
        }
        Submitter.Batch batch = submission.submitter().batch(perStyle, started, jobId, tenant, callbackUrl);
        return submission.submitter().submitJob(batch, () -> {
            for (StoredInput object : objects) {
                submission.jobInputs().read(object, refused).ifPresent(batch::add);
            }
            JobInputs.requireSome(batch.isEmpty(), refused);
        });
    }

    /**
     * A JSON body must say so: a form or {@code text/plain} body is what another site's page can send
     * without asking the browser first, so only {@code application/json} (any charset) is read.
     */
    static void requireJson(Context ctx) {
        String type = ctx.contentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new ApiException(
                    UploadValidator.UNSUPPORTED_MEDIA_TYPE,
                    "send multipart/form-data files or an application/json body {\"keys\":[...],\"options\":{...}}");
        }
    }

    /** The options object as the upload form's fields: {"style":"a,b","maxSide":256} → style=[a,b], maxSide=[256]. */
    private static Map<String, List<String>> fields(JsonNode optionsNode) {
        Map<String, List<String>> fields = new HashMap<>();
        if (optionsNode == null || optionsNode.isNull()) {
            return fields;
        }
        if (!optionsNode.isObject()) {
            throw ApiException.badRequest("\"options\" must be an object");
        }
        optionsNode
                .fields()
                .forEachRemaining(
                        e -> fields.put(e.getKey(), List.of(e.getValue().asText())));
        return fields;
    }

    private void zip(Context ctx) throws IOException {
        JobStatus job = find(ctx);
        results.zip(
                ctx, job.imageIds(JobStatus.DONE), job.videoIds(JobStatus.DONE), "animegan-job-" + job.id() + ".zip");
    }

    /** The caller's job ({@link TenantJobs}), or 404. */
    private JobStatus find(Context ctx) {
        String id = ctx.pathParam("id");
        return jobs.find(id, RequestTenant.of(ctx).id(), jobId -> images.askStatus(ctx, service -> service.job(jobId)))
                .orElseThrow(() -> ApiException.notFound("no job " + id));
    }

    /** Another instance asking for a job this one owns: the stored record (Avro) as is. */
    void ownedJob(Context ctx) {
        String id = ctx.pathParam("id");
        byte[] stored = images.askStatus(ctx, service -> service.owned().job(id))
                .orElseThrow(() -> ApiException.notFound("no job " + id));
        ctx.contentType("application/octet-stream").result(stored);
    }
}
