package io.animegan.ingest;

import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.BlobStore.BlobInfo;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.VideoOptions;
import io.animegan.ingest.ApiViews.VideoUploadResponse;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.TenantStatuses;
import io.animegan.status.VideoStatus;
import io.animegan.status.VideoView;
import io.animegan.submission.ApiException;
import io.animegan.submission.Submission;
import io.animegan.submission.Submitter.Refused;
import io.animegan.submission.Tenant;
import io.animegan.submission.UploadBudget;
import io.animegan.submission.UploadValidator;
import io.animegan.submission.VideoAdmission;
import io.animegan.submission.VideoContainer;
import io.animegan.submission.VideoSubmitter;
import io.animegan.submission.VideoSubmitter.VideoUpload;
import io.animegan.submission.VideoValidator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clips' routes: upload ({@code POST /api/videos}), status, the finished clip and the preview
 * (the first drawn segment), both served with byte ranges so a player can seek. Every object
 * served is found by a key made from the id ({@link Keys}), never by a reference an event carries.
 */
public final class VideoRoutes {

    static final String MP4 = "video/mp4";
    /**
     * What one clip upload holds in the heap, taken from the shared upload budget: parts over 1 MiB
     * are spooled to disk by the multipart parser and each stored clip passes through the storage
     * client's part buffer, so a clip of any size holds about this much.
     */
    static final long HEAP_SHARE_BYTES = 16L * 1024 * 1024;
    /** Room for the form fields beside the clips in one request. */
    static final long FIELDS_BYTES = 1024L * 1024;

    private final Submission submission;
    private final VideoSubmitter submitter;
    private final VideoValidator validator;
    private final VideoAdmission admission;
    private final ImageRoutes images;
    private final BlobStore store;
    private final int maxFiles;
    private final TenantStatuses tenants;

    /** @param images the image routes, whose status lookups (503 while the store starts) clips share */
    public VideoRoutes(
            Submission submission,
            VideoSubmitter submitter,
            VideoAdmission admission,
            ImageRoutes images,
            BlobStore store,
            int maxFiles) {
        this.submission = submission;
        this.submitter = submitter;
        this.validator = new VideoValidator(admission.maxBytes());
        this.admission = admission;
        this.images = images;
        this.store = store;
        this.maxFiles = maxFiles;
        this.tenants = new TenantStatuses(store);
    }

    /** Most bytes one clip upload request may carry: its clips together at most the clip limit, plus the fields. */
    public static long maxRequestBytes(VideoAdmission admission) {
        return admission.maxBytes() + FIELDS_BYTES;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/videos", this::upload);
        routes.get("/api/videos/{id}", this::status);
        routes.get("/api/videos/{id}/result", this::result);
        routes.get("/api/videos/{id}/preview", this::preview);
    }

    void upload(Context ctx) {
        long started = System.nanoTime();
        Tenant tenant = RequestTenant.of(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest(
                    "send multipart/form-data with one or more '" + ImageRoutes.FILE_PART + "' parts");
        }
        if (declared > maxRequestBytes(admission)) {
            ImageRoutes.drainAndClose(ctx);
            throw ApiException.coded(
                    UploadValidator.CONTENT_TOO_LARGE,
                    VideoValidator.TOO_LARGE,
                    "request of " + declared + " bytes exceeds the limit of " + maxRequestBytes(admission)
                            + " bytes for clips");
        }
        try (UploadBudget.Share ignored = takeBudget(ctx)) {
            List<UploadedFile> files = files(ctx);
            Map<String, List<String>> fields = ctx.formParamMap();
            List<VideoOptions> perStyle = submission.options().parseVideo(fields, admission.maxOutputSide());
            String callbackUrl = submission.options().callbackUrl(fields);
            // Every part is checked before anything is stored, so a bad one leaves no trace.
            List<VideoUpload> uploads = new ArrayList<>(files.size());
            long bytes = 0;
            for (UploadedFile file : files) {
                uploads.add(check(file));
                bytes += file.size();
            }
            requireWithinLimit(bytes);
            submission.quotas().charge(tenant, (long) uploads.size() * perStyle.size(), bytes * perStyle.size());
            ctx.status(202)
                    .json(new VideoUploadResponse(submitter.submit(uploads, perStyle, started, tenant, callbackUrl)));
        }
    }

    /** Most bytes the clips of one request may hold together. */
    long maxClipBytes() {
        return admission.maxBytes();
    }

    /**
     * A job's clips, each checked as {@code POST /api/videos} checks it: a bad one is named in
     * {@code refused} and left out; clips over the limit together refuse the request (413).
     */
    List<VideoUpload> checkAll(List<UploadedFile> files, List<Refused> refused) {
        List<VideoUpload> uploads = new ArrayList<>(files.size());
        long bytes = 0;
        for (UploadedFile file : files) {
            try {
                uploads.add(check(file));
                bytes += file.size();
            } catch (ApiException e) {
                refused.add(new Refused(UploadValidator.displayName(file.filename()), e.getMessage()));
            }
        }
        requireWithinLimit(bytes);
        return uploads;
    }

    /** The heap a job's clips hold while they are stored, from the shared upload budget. */
    UploadBudget.Share clipShare() {
        return submission.budget().take(HEAP_SHARE_BYTES);
    }

    /** The clip options the request's fields ask for, one per style. */
    List<VideoOptions> options(Map<String, List<String>> fields) {
        return submission.options().parseVideo(fields, admission.maxOutputSide());
    }

    /** Stores a job's checked clips in every style asked for, without announcing them yet ({@link VideoSubmitter#store}). */
    VideoSubmitter.Staged store(
            List<VideoUpload> uploads, List<VideoOptions> perStyle, String callbackUrl, long started, Tenant tenant) {
        long bytes = uploads.stream().mapToLong(VideoUpload::sizeBytes).sum();
        submission.quotas().charge(tenant, (long) uploads.size() * perStyle.size(), bytes * perStyle.size());
        return submitter.store(uploads, perStyle, started, tenant, callbackUrl);
    }

    private void requireWithinLimit(long bytes) {
        if (bytes > admission.maxBytes()) {
            throw ApiException.coded(
                    UploadValidator.CONTENT_TOO_LARGE,
                    VideoValidator.TOO_LARGE,
                    "the clips of one request are " + bytes + " bytes together; the limit is " + admission.maxBytes()
                            + " bytes");
        }
    }

    private UploadBudget.Share takeBudget(Context ctx) {
        try {
            return submission.budget().take(HEAP_SHARE_BYTES);
        } catch (ApiException refused) {
            ImageRoutes.drainAndClose(ctx);
            throw refused;
        }
    }

    private List<UploadedFile> files(Context ctx) {
        List<UploadedFile> files = ctx.uploadedFiles(ImageRoutes.FILE_PART).stream()
                .filter(f -> !(f.filename().isBlank() && f.size() == 0)) // a form sent with no file chosen
                .toList();
        if (files.isEmpty()) {
            throw ApiException.badRequest("no '" + ImageRoutes.FILE_PART + "' part in the request");
        }
        if (files.size() > maxFiles) {
            throw new ApiException(
                    UploadValidator.CONTENT_TOO_LARGE,
                    files.size() + " files in one request; the limit is " + maxFiles);
        }
        return files;
    }

    /** One part as a clip: its size and first bytes checked, its content read again when stored. */
    private VideoUpload check(UploadedFile file) {
        String name = UploadValidator.displayName(file.filename());
        validator.checkSize(name, file.size());
        byte[] head;
        try (InputStream in = file.content()) {
            head = in.readNBytes(VideoContainer.HEAD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read uploaded part", e);
        }
        VideoContainer container = validator.container(name, head);
        return new VideoUpload(name, file.size(), container, file::content);
    }

    void status(Context ctx) {
        ctx.json(VideoView.of(find(ctx), System.currentTimeMillis()));
    }

    void result(Context ctx) {
        VideoStatus status = find(ctx);
        if (status.phase() != Phase.DONE) {
            throw new ApiException(
                    409, "video " + status.id() + " is " + status.phase().label() + ", not done");
        }
        if (Boolean.parseBoolean(ctx.queryParam("download"))) {
            ResultFiles.attachment(ctx, fileName(status));
        }
        serve(ctx, Keys.result(status.id(), "mp4"));
    }

    void preview(Context ctx) {
        VideoStatus status = find(ctx);
        // A player showing the preview asks again for ranges after the clip is done, when the
        // segments may be gone: it then gets the finished clip, which starts with the same frames.
        if (status.phase() == Phase.DONE) {
            serve(ctx, Keys.result(status.id(), "mp4"));
            return;
        }
        VideoStatus.Preview preview = status.preview();
        if (preview == null) {
            throw ApiException.notFound("video " + status.id() + " has no preview yet: nothing is drawn");
        }
        serve(ctx, preview.key());
    }

    /** The object at {@code key} as MP4, the range asked for or all of it. */
    private void serve(Context ctx, String key) {
        BlobInfo info = store.stat(key).orElseThrow(() -> ApiException.notFound("the stored clip is missing"));
        ByteRange range;
        try {
            range = ByteRange.of(ctx.header("Range"), info.size());
        } catch (ApiException e) {
            ctx.header("Content-Range", "bytes */" + info.size());
            throw e;
        }
        ctx.header("Accept-Ranges", "bytes");
        if (range.partial()) {
            ctx.status(206).header("Content-Range", range.contentRange());
        }
        ctx.header("Content-Length", Long.toString(range.length()));
        InputStream content = range.length() == 0
                ? InputStream.nullInputStream()
                : store.open(new BlobRef(store.bucket(), key), range.start(), range.length());
        ctx.contentType(MP4).result(content);
    }

    /** The upload's name with its extension replaced, safe in a header: {@code holiday.anime.mp4}. */
    static String fileName(VideoStatus status) {
        String name = status.name() == null ? status.id() : status.name();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.replaceAll("[\\p{Cntrl}\"\\\\/:*?<>|]", "_") + ".anime.mp4";
    }

    private VideoStatus find(Context ctx) {
        String id = ctx.pathParam("id");
        return images.askStatus(
                        ctx,
                        service -> tenants.findVideo(id, RequestTenant.of(ctx).id(), service::findVideo))
                .orElseThrow(() -> ApiException.notFound("no video " + id));
    }

    /** Another instance asking for a clip's status this one owns: the stored record (Avro) as is. */
    void ownedStatus(Context ctx) {
        String id = ctx.pathParam("id");
        byte[] stored = images.askStatus(ctx, service -> service.owned().video(id))
                .orElseThrow(() -> ApiException.notFound("no video " + id));
        ctx.contentType("application/octet-stream").result(stored);
    }
}
