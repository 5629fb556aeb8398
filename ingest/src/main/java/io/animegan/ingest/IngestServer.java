package io.animegan.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.StorageException;
import io.animegan.ingest.ApiViews.ErrorResponse;
import io.animegan.status.StatusService;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.ApiException;
import io.animegan.submission.ServiceUnavailableException;
import io.animegan.submission.Submission;
import io.animegan.submission.UploadValidator;
import io.animegan.submission.VideoAdmission;
import io.animegan.submission.VideoSubmitter;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: HTTP API and web page on Javalin, uploads into object storage and onto the
 * submitted topic, statuses from the stage events. {@link #close()} stops everything it started.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);

    /**
     * Longest request line plus headers Jetty reads. Ids are short; Jetty's 8 KiB default is kept
     * above the longest URI a client sends by mistake, and longer ones get a JSON 414.
     */
    static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /**
     * How long start-up waits for the status store to answer lookups (restored from its changelog,
     * its partitions settled) before returning anyway; until then status requests answer 503 with
     * Retry-After.
     */
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    /** What a 503 (storage or Kafka unavailable) tells the client to wait before trying again. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final List<AutoCloseable> resources;
    private final Javalin app;
    private final StatusService statuses;
    private final int internalPort;

    private IngestServer(List<AutoCloseable> resources, Javalin app, StatusService statuses, int internalPort) {
        this.resources = resources;
        this.app = app;
        this.statuses = statuses;
        this.internalPort = internalPort;
    }

    /**
     * Creates the bucket and topics if missing, starts the status app (advertising the internal port
     * to the other instances; with port 0, once the port is known), opens the internal and the HTTP
     * port and waits up to {@link #CATCH_UP_TIMEOUT} for the status store to answer lookups.
     */
    public static IngestServer start(PipelineConfig config, IngestSettings settings) {
        return start(config, settings, AdmissionLimits.defaults());
    }

    /** As {@link #start(PipelineConfig, IngestSettings)}, with the tenants' quotas and the bounds of uploads. */
    public static IngestServer start(PipelineConfig config, IngestSettings settings, AdmissionLimits limits) {
        return start(config, settings, limits, VideoAdmission.DEFAULTS);
    }

    /** As {@link #start(PipelineConfig, IngestSettings, AdmissionLimits)}, with the bounds of clip uploads. */
    public static IngestServer start(
            PipelineConfig config, IngestSettings settings, AdmissionLimits limits, VideoAdmission videos) {
        List<AutoCloseable> started = new ArrayList<>();
        log.info(
                "ingest starting (Kafka {}, Kafka client settings {}, storage {})",
                config.bootstrapServers(),
                config.kafkaClient(),
                config.storage().endpoint());
        try {
            // Start-up may wait for storage to come up; once serving, a client waits on every call, so
            // those fail fast and answer 503 rather than ride out an outage.
            new BlobStore(config.storage()).ensureBucket();
            BlobStore store = new BlobStore(config.storage(), BlobStore.Patience.REQUEST);
            TopicAdmin.ensureTopics(config);
            // The status app advertises the internal port to the other instances, so the port is settled
            // first; the app then starts (and restores) while the rest starts up, which is most of a
            // restart's time to its first answer.
            GuardSettings guards = settings.guards();
            int internalPort = guards.internalPort() > 0 ? guards.internalPort() : freePort(settings.bindAddress());
            StatusService statuses = remember(
                    started,
                    StatusService.start(
                            config, settings.status(), internalPort, guards.internalSecret(), store::deletePrefix));
            long maxRequestBytes = limits.requestBytes(settings.maxUploadBytes(), settings.maxFilesPerRequest());
            Submission submission = remember(
                    started,
                    Submission.start(config, store, statuses, limits, settings.maxUploadBytes(), maxRequestBytes));
            ImageRoutes routes = new ImageRoutes(
                    submission,
                    () -> statuses,
                    store,
                    maxRequestBytes,
                    settings.maxFilesPerRequest(),
                    settings.presignExpiry());
            VideoSubmitter videoSubmitter = remember(
                    started,
                    new VideoSubmitter(
                            store,
                            config.bootstrapServers(),
                            config.kafkaClient(),
                            config.topics().videos().submitted()));
            VideoRoutes videoRoutes =
                    new VideoRoutes(submission, videoSubmitter, videos, routes, store, settings.maxFilesPerRequest());
            JobRoutes jobs = new JobRoutes(routes, videoRoutes, submission, store, statuses, ResultFiles.MAX_ZIP_IDS);
            StyleRoutes styleRoutes = new StyleRoutes(submission.styles(), submission.thumbnails());
            ApiGuard guard = new ApiGuard(settings);
            SiteGuard site = new SiteGuard(settings);
            PageRoutes page = new PageRoutes(statuses, store, settings, videos);
            remember(
                    started,
                    InternalServer.start(
                            settings.bindAddress(), internalPort, guards.internalSecret(), routes, videoRoutes, jobs));
            long maxBodyBytes = Math.max(maxRequestBytes, VideoRoutes.maxRequestBytes(videos));
            Javalin app = Javalin.create(cfg ->
                            configure(cfg, routes, videoRoutes, jobs, styleRoutes, page, guard, site, maxBodyBytes))
                    .start(settings.bindAddress(), settings.port());
            started.add(app::stop);
            // Closed before the server stops: its open event streams are ended while their requests live.
            started.add(page);
            if (!statuses.awaitReady(CATCH_UP_TIMEOUT)) {
                log.warn(
                        "status store does not answer lookups after {}; serving anyway (status requests and quota "
                                + "checks answer 503 meanwhile)",
                        CATCH_UP_TIMEOUT);
            }
            log.info(
                    "ingest listening on {}:{} (internal routes on port {}, bucket {}, Kafka {}, API tokens {}, rate limit {}, "
                            + "at most {} files per request, status retention {}, event streams {})",
                    settings.bindAddress(),
                    app.port(),
                    internalPort,
                    store.bucket(),
                    config.bootstrapServers(),
                    settings.requiresToken() ? "required" : "off",
                    settings.rateLimit(),
                    settings.maxFilesPerRequest(),
                    settings.status().retention(),
                    guards.streams());
            log.info("ingest limits: {}", limits);
            warnIfExposed(settings, app.port());
            return new IngestServer(started, app, statuses, internalPort);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(started);
            throw new IllegalStateException("interrupted while starting ingest", e);
        } catch (RuntimeException | Error e) {
            closeAll(started);
            throw e;
        }
    }

    /** A port the OS says is free now; asked for port 0, ingest must know its port before it opens it. */
    private static int freePort(String bindAddress) {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(bindAddress))) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on " + bindAddress, e);
        }
    }

    private static <T extends AutoCloseable> T remember(List<AutoCloseable> started, T resource) {
        started.add(resource);
        return resource;
    }

    /** Says loudly when anyone who can reach the port can use the API, or reach it under any name. */
    static void warnIfExposed(IngestSettings settings, int port) {
        if (!settings.loopbackOnly() && !settings.requiresToken()) {
            log.warn(
                    "WARNING: ingest is bound to {} (reachable beyond this machine) and NO API tokens are configured: "
                            + "anyone who can reach port {} can upload pictures and read results. Set ANIMEGAN_API_TOKENS "
                            + "(or --api-tokens / --api-tokens-file), or bind 127.0.0.1.",
                    settings.bindAddress(),
                    port);
        }
        if (SiteGuard.acceptedHosts(settings) == null) {
            log.warn(
                    "WARNING: ingest is bound to {} and answers requests for ANY host name (no --allowed-hosts / "
                            + "ANIMEGAN_ALLOWED_HOSTS): a page on another site can reach it through DNS rebinding. List the names "
                            + "clients use.",
                    settings.bindAddress());
        }
    }

    private static void configure(
            JavalinConfig cfg,
            ImageRoutes routes,
            VideoRoutes videoRoutes,
            JobRoutes jobs,
            StyleRoutes styleRoutes,
            PageRoutes page,
            ApiGuard guard,
            SiteGuard site,
            long maxRequestBytes) {
        configureJetty(cfg);
        cfg.http.prefer405over404 = true;
        // Parts up to 1 MiB stay in memory, larger ones are spooled to disk; the whole request is
        // capped (at the larger of the pictures' and the clips' limits, each route checking its own)
        // so Jetty stops reading an oversized upload (the handler turns that into 413 JSON).
        cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        cfg.jetty.multipartConfig.maxTotalRequestSize(maxRequestBytes, SizeUnit.BYTES);
        cfg.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
        });
        HttpTracing.install(cfg); // first, so refusals of the handlers below are in a span too
        cfg.routes.before(ctx -> SecurityHeaders.apply(ctx.path(), ctx::header));
        cfg.routes.before(site::check);
        cfg.routes.before("/api/*", guard::check);
        new SessionRoutes().register(cfg.routes);
        new OpenApiRoute().register(cfg.routes);
        routes.register(cfg.routes);
        videoRoutes.register(cfg.routes);
        jobs.register(cfg.routes);
        styleRoutes.register(cfg.routes);
        page.register(cfg.routes);
        IngestMetrics.install(cfg);
        // Javalin's own refusals (unknown route 404, wrong method 405, ...) answer JSON like ours.
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), describe(e)));
        cfg.routes.exception(ApiException.class, IngestServer::refused);
        cfg.routes.exception(BlobNotFoundException.class, (e, ctx) -> error(ctx, 404, "stored picture is missing"));
        cfg.routes.exception(StorageException.class, (e, ctx) -> {
            log.warn("storage error on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            error(ctx, 503, "storage is unavailable; try again");
        });
        cfg.routes.exception(
                ServiceUnavailableException.class, (e, ctx) -> refused(new ApiException(503, e.getMessage()), ctx));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            int status = clientErrorStatus(e);
            if (status == 413) {
                ImageRoutes.drainAndClose(ctx);
                error(ctx, 413, "upload exceeds the limit of " + maxRequestBytes + " bytes per request");
            } else if (status > 0) {
                // Jetty may close the connection after a body it could not parse: tell the client not to reuse it.
                ctx.header("Connection", "close");
                error(ctx, status, "malformed request");
            } else {
                log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error");
            }
        });
    }

    /** A refusal as JSON; every 429 and 503 tells the client when to come back, whichever route refused. */
    static void refused(ApiException e, Context ctx) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        } else if ((e.status() == 429 || e.status() == 503) && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.status(e.status()).json(new ErrorResponse(e.getMessage(), e.code()));
    }

    /**
     * What the public and the internal server share: JSON by Jackson, the same header limit (ids as
     * long as the public port accepts fit when passed on to another instance), no server version,
     * and JSON for the errors Jetty answers itself.
     */
    static void configureJetty(JavalinConfig cfg) {
        cfg.startup.showJavalinBanner = false;
        cfg.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
            http.setSendServerVersion(false);
        });
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    }

    private static String describe(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? "request refused" : e.getMessage();
        };
    }

    static void error(Context ctx, int status, String message) {
        ctx.status(status).json(new ErrorResponse(message));
    }

    /**
     * The client's fault in an exception from Jetty, or 0. Jetty 12 refuses a multipart body over
     * its limit with {@code ServletException(BadMessageException(400 "bad multipart",
     * IllegalStateException("max length exceeded: N")))}, which would otherwise become a 500.
     */
    static int clientErrorStatus(Throwable e) {
        int status = 0;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // A Content-Type naming a charset this JVM does not know, met while Jetty reads the body.
            if (t instanceof java.nio.charset.UnsupportedCharsetException
                    || t instanceof java.nio.charset.IllegalCharsetNameException) {
                return UploadValidator.UNSUPPORTED_MEDIA_TYPE;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            boolean overLimit =
                    t instanceof IllegalStateException && message.contains("max") && message.contains("exceeded");
            if (overLimit || (t instanceof HttpException http && http.getCode() == 413)) {
                return 413;
            }
            if (status == 0 && t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                status = http.getCode();
            }
        }
        return status;
    }

    public int port() {
        return app.port();
    }

    /** Port of the instance-to-instance routes, never exposed beyond the ingest instances. */
    public int internalPort() {
        return internalPort;
    }

    /** Statuses of every image, answered by any instance; {@code statuses().subscribe(...)} for live changes. */
    public StatusService statuses() {
        return statuses;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("error while closing: {}", e.toString());
            }
        }
        resources.clear();
    }
}
