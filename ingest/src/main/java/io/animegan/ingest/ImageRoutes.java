package io.animegan.ingest;

import io.animegan.common.storage.BlobStore;
import io.animegan.events.Options;
import io.animegan.ingest.ApiViews.Health;
import io.animegan.ingest.ApiViews.StatusView;
import io.animegan.ingest.ApiViews.UploadResponse;
import io.animegan.status.ImageStatus;
import io.animegan.status.StatusStore;
import io.animegan.status.StatusUnavailableException;
import io.animegan.status.TenantStatuses;
import io.animegan.submission.ApiException;
import io.animegan.submission.Submission;
import io.animegan.submission.Submitter.Refused;
import io.animegan.submission.Tenant;
import io.animegan.submission.UploadBudget;
import io.animegan.submission.UploadValidator;
import io.animegan.submission.UploadValidator.ValidUpload;
import io.animegan.submission.VideoContainer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The HTTP API's handlers: upload, status, result, overlay, health. */
public final class ImageRoutes {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ImageRoutes.class);

    static final String FILE_PART = "file";
    /** Most bytes of a refused body read and thrown away so the client gets its answer. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    /** Retry-After seconds while the status store cannot answer. */
    static final int STATUS_RETRY_AFTER_SECONDS = 2;

    private final Submission submission;
    private final Supplier<StatusStore> statuses;
    private final BlobStore store;
    private final long maxRequestBytes;
    private final int maxFiles;
    private final Duration presignExpiry;
    private final TenantStatuses tenants;

    /** @param statuses the status service (a supplier, so a test can stand one up after the routes) */
    public ImageRoutes(
            Submission submission,
            Supplier<StatusStore> statuses,
            BlobStore store,
            long maxRequestBytes,
            int maxFiles,
            Duration presignExpiry) {
        this.submission = submission;
        this.statuses = statuses;
        this.store = store;
        this.maxRequestBytes = maxRequestBytes;
        this.maxFiles = maxFiles;
        this.presignExpiry = presignExpiry;
        this.tenants = new TenantStatuses(store);
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/images", this::upload);
        routes.get("/api/images/{id}", this::status);
        routes.get("/api/images/{id}/result", this::result);
        routes.get("/api/images/{id}/overlay", this::overlay);
        routes.get("/healthz", ctx -> ctx.json(new Health("ok")));
    }

    void upload(Context ctx) {
        long started = System.nanoTime();
        Tenant tenant = RequestTenant.of(ctx);
        try (UploadBudget.Share ignored = takeBudget(ctx)) {
            Upload upload = readUpload(ctx, null);
            charge(tenant, upload);
            ctx.status(202)
                    .json(new UploadResponse(submission
                            .submitter()
                            .submit(upload.files(), upload.perStyle(), started, null, tenant, upload.callbackUrl())));
        }
    }

    /**
     * The request's share of the in-memory upload budget, taken before its body is read: what it
     * declares (at most the per-request cap), or the whole cap when it declares nothing.
     */
    UploadBudget.Share takeBudget(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try {
            return submission.budget().take(declared < 0 ? maxRequestBytes : Math.min(declared, maxRequestBytes));
        } catch (ApiException refused) {
            drainAndClose(ctx); // the client hears the answer instead of a broken pipe
            throw refused;
        }
    }

    /** Charges an upload's pictures (one per file and style) to the tenant's quotas. */
    void charge(Tenant tenant, Upload upload) {
        long bytes = upload.files().stream().mapToLong(f -> f.bytes().length).sum();
        submission
                .quotas()
                .charge(
                        tenant,
                        (long) upload.files().size() * upload.perStyle().size(),
                        bytes * upload.perStyle().size());
    }

    /** A multipart request's checked files, the options asked for (one per style) and its checked callback URL or null. */
    record Upload(List<ValidUpload> files, List<Options> perStyle, String callbackUrl) {}

    /**
     * Reads and checks a multipart upload (size, count, options, every file) before anything is stored.
     *
     * @param refused collects bad files instead of refusing the whole request (null: one bad file refuses all)
     */
    Upload readUpload(Context ctx, List<Refused> refused) {
        return readUpload(ctx, refused, null, 0);
    }

    /**
     * As {@link #readUpload(Context, List)}, setting apart (unread, unchecked) into {@code clips} the
     * parts whose first bytes are a video container's: a job's clips, {@code maxClipBytes} more on
     * top of the pictures' limit (null: every part is a picture).
     */
    Upload readUpload(Context ctx, List<Refused> refused, List<UploadedFile> clips, long maxClipBytes) {
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest("send multipart/form-data with one or more '" + FILE_PART + "' parts");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxRequestBytes + maxClipBytes) {
            drainAndClose(ctx);
            throw new ApiException(
                    UploadValidator.CONTENT_TOO_LARGE,
                    "request of " + declared + " bytes exceeds the limit of " + (maxRequestBytes + maxClipBytes)
                            + " bytes");
        }
        List<UploadedFile> all = ctx.uploadedFiles(FILE_PART).stream()
                .filter(f -> !(f.filename().isBlank() && f.size() == 0)) // a form sent with no file chosen
                .toList();
        List<UploadedFile> files = all;
        if (clips != null) {
            files = new ArrayList<>();
            for (UploadedFile file : all) {
                (isClip(file) ? clips : files).add(file);
            }
        }
        Map<String, List<String>> fields = ctx.formParamMap();
        if (all.isEmpty()) {
            throw ApiException.badRequest("no '" + FILE_PART + "' part in the request");
        }
        if (all.size() > maxFiles) {
            throw new ApiException(
                    UploadValidator.CONTENT_TOO_LARGE, all.size() + " files in one request; the limit is " + maxFiles);
        }
        // Jetty's own cap is the clips' larger one: a body sent without Content-Length is held to the pictures' here,
        // before any part is read into memory.
        long total = files.stream().mapToLong(UploadedFile::size).sum();
        if (total > maxRequestBytes) {
            throw new ApiException(
                    UploadValidator.CONTENT_TOO_LARGE,
                    "request of " + total + " bytes of files exceeds the limit of " + maxRequestBytes + " bytes");
        }
        List<Options> perStyle = submission.options().parseAll(fields);
        String callbackUrl = submission.options().callbackUrl(fields);
        // Every part is checked before anything is stored, so a bad one leaves no trace.
        List<ValidUpload> valid = new ArrayList<>(files.size());
        for (UploadedFile file : files) {
            String name = UploadValidator.displayName(file.filename());
            try {
                submission.validator().checkSize(name, file.size());
                valid.add(submission.validator().validate(name, read(file)));
            } catch (ApiException e) {
                if (refused == null) {
                    throw e;
                }
                refused.add(new Refused(name, e.getMessage()));
            }
        }
        return new Upload(valid, perStyle, callbackUrl);
    }

    void status(Context ctx) {
        ctx.json(StatusView.of(find(ctx)));
    }

    void result(Context ctx) {
        ImageStatus status = ResultRefs.requireDone(find(ctx));
        if (Boolean.parseBoolean(ctx.queryParam("redirect"))) {
            // For integrators: fetch the bytes straight from object storage, not through this service.
            ctx.redirect(
                    store.presignedGet(ResultRefs.result(status, store.bucket()), presignExpiry), HttpStatus.FOUND);
            return;
        }
        ctx.contentType(status.resultContentType()).result(store.get(ResultRefs.result(status, store.bucket())));
    }

    void overlay(Context ctx) {
        ImageStatus status = find(ctx);
        ctx.contentType("image/png").result(store.get(ResultRefs.overlay(status, store.bucket())));
    }

    private ImageStatus find(Context ctx) {
        String id = ctx.pathParam("id");
        return askStatus(ctx, service -> tenants.find(id, RequestTenant.of(ctx).id(), service::find))
                .orElseThrow(() -> ApiException.notFound("no image " + id));
    }

    /** Another instance asking for a status this one owns: the stored record (Avro) as is. */
    void ownedStatus(Context ctx) {
        String id = ctx.pathParam("id");
        byte[] stored = askStatus(ctx, service -> service.owned().status(id))
                .orElseThrow(() -> ApiException.notFound("no image " + id));
        ctx.contentType("application/octet-stream").result(stored);
    }

    /** Another instance asking for the stored bytes of a tenant this one sums. */
    void ownedUsage(Context ctx) {
        String tenant;
        try {
            tenant = new Tenant(ctx.pathParam("tenant")).id();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("not a tenant id");
        }
        long bytes = askStatus(ctx, service -> Optional.of(service.owned().storedBytes(tenant)))
                .orElse(0L);
        ctx.contentType("text/plain").result(Long.toString(bytes));
    }

    /** 503 with Retry-After rather than a wrong 404 while the store starts, restores or rebalances. */
    <T> Optional<T> askStatus(Context ctx, Function<StatusStore, Optional<T>> query) {
        StatusStore service = statuses.get();
        try {
            if (service == null) {
                throw new StatusUnavailableException("status store is starting");
            }
            return query.apply(service);
        } catch (StatusUnavailableException e) {
            // The reason may name another instance's address: it goes to the log, not to the client.
            log.info("status unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", String.valueOf(STATUS_RETRY_AFTER_SECONDS));
            throw new ApiException(503, "status is not available right now; try again");
        }
    }

    /**
     * Reads and discards what is left of a refused request body (up to {@link #DRAIN_LIMIT}) and
     * closes the connection afterwards. Answering before the body is read makes Jetty close the
     * connection under a client still sending, which then sees "broken pipe" instead of the 413.
     */
    static void drainAndClose(Context ctx) {
        ctx.header("Connection", "close");
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long drained = 0;
            int read;
            while (drained < DRAIN_LIMIT && (read = in.read(buffer)) != -1) {
                drained += read;
            }
        } catch (IOException | RuntimeException e) {
            // Nothing more can be read (the multipart parser may already own the stream): just close.
        }
    }

    /** Whether a part's first bytes are a video container's (MP4, MOV, MKV, WebM). */
    private static boolean isClip(UploadedFile file) {
        try (InputStream in = file.content()) {
            return VideoContainer.sniff(in.readNBytes(VideoContainer.HEAD_BYTES))
                    .isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read uploaded part", e);
        }
    }

    private static byte[] read(UploadedFile file) {
        try (InputStream in = file.content()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read uploaded part", e);
        }
    }
}
