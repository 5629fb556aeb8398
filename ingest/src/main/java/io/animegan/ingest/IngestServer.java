package io.animegan.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.TopicAdmin;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.StorageException;
import io.animegan.ingest.ApiViews.ErrorResponse;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.http.HttpException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: HTTP API and web page on Javalin, uploads into object storage and onto the
 * submitted topic, statuses from the stage events. {@link #close()} stops everything it started.
 */
public final class IngestServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestServer.class);

  /** Most files' worth of bytes one request may carry; larger requests are refused with 413 up front. */
  static final int MAX_FILES_PER_REQUEST = 10;
  /** How long start-up waits for the status tracker to replay the topics before serving anyway. */
  static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  /** What a 503 (storage or Kafka unavailable) tells the client to wait before trying again. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final List<AutoCloseable> resources;
  private final Javalin app;
  private final StatusTracker tracker;

  private IngestServer(List<AutoCloseable> resources, Javalin app, StatusTracker tracker) {
    this.resources = resources;
    this.app = app;
    this.tracker = tracker;
  }

  /**
   * Creates the bucket and topics if missing, replays the topics into the status tracker (waiting
   * up to {@link #CATCH_UP_TIMEOUT}), then opens the HTTP port.
   */
  public static IngestServer start(PipelineConfig config, IngestSettings settings) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      // Start-up may wait for storage to come up; once serving, a client waits on every call, so
      // those fail fast and answer 503 rather than ride out an outage.
      new BlobStore(config.storage()).ensureBucket();
      BlobStore store = new BlobStore(config.storage(), BlobStore.Patience.REQUEST);
      TopicAdmin.ensureTopics(config.bootstrapServers(), config.topics());

      StatusTracker tracker = StatusTracker.start(config.bootstrapServers(), config.topics());
      started.add(tracker);
      if (!tracker.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
        log.warn("status tracker has not caught up after {}; serving anyway", CATCH_UP_TIMEOUT);
      }
      Submitter submitter = new Submitter(store, config.bootstrapServers(), config.topics().submitted());
      started.add(submitter);

      long maxRequestBytes = maxRequestBytes(settings.maxUploadBytes());
      ImageRoutes routes = new ImageRoutes(new UploadValidator(settings.maxUploadBytes()), submitter, tracker, store,
          maxRequestBytes);
      Javalin app = Javalin.create(cfg -> configure(cfg, routes, maxRequestBytes)).start(settings.port());
      started.add(app::stop);
      log.info("ingest listening on port {} (bucket {}, Kafka {})", app.port(), store.bucket(),
          config.bootstrapServers());
      return new IngestServer(started, app, tracker);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll(started);
      throw new IllegalStateException("interrupted while starting ingest", e);
    } catch (RuntimeException | Error e) {
      closeAll(started);
      throw e;
    }
  }

  static long maxRequestBytes(long maxUploadBytes) {
    long oneMiB = 1024L * 1024;
    long total = maxUploadBytes > (Long.MAX_VALUE - oneMiB) / MAX_FILES_PER_REQUEST
        ? Long.MAX_VALUE : maxUploadBytes * MAX_FILES_PER_REQUEST + oneMiB;
    return total;
  }

  private static void configure(JavalinConfig cfg, ImageRoutes routes, long maxRequestBytes) {
    cfg.startup.showJavalinBanner = false;
    cfg.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
    // Parts up to 1 MiB stay in memory, larger ones are spooled to disk; the whole request is
    // capped so Jetty stops reading an oversized upload (the handler turns that into 413 JSON).
    cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
    cfg.jetty.multipartConfig.maxTotalRequestSize(maxRequestBytes, SizeUnit.BYTES);
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/web";
      files.location = Location.CLASSPATH;
    });
    routes.register(cfg.routes);
    cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    cfg.routes.exception(BlobNotFoundException.class, (e, ctx) -> error(ctx, 404, "stored picture is missing"));
    cfg.routes.exception(StorageException.class, (e, ctx) -> {
      log.warn("storage error on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
      error(ctx, 503, "storage is unavailable; try again");
    });
    cfg.routes.exception(ServiceUnavailableException.class, (e, ctx) -> {
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
      error(ctx, 503, e.getMessage());
    });
    cfg.routes.exception(Exception.class, (e, ctx) -> {
      int status = clientErrorStatus(e);
      if (status == 413) {
        ImageRoutes.drainAndClose(ctx);
        error(ctx, 413, "upload exceeds the limit of " + maxRequestBytes + " bytes per request");
      } else if (status > 0) {
        error(ctx, status, "malformed request");
      } else {
        log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
        error(ctx, 500, "internal error");
      }
    });
  }

  private static void error(Context ctx, int status, String message) {
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
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      boolean overLimit = t instanceof IllegalStateException && message.contains("max") && message.contains("exceeded");
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

  /** Statuses as this instance sees them; subscribe here for live progress. */
  public StatusTracker tracker() {
    return tracker;
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
