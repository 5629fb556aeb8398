package io.animegan.ingest;

import io.animegan.submission.ApiException;
import io.animegan.submission.UploadValidator;
import io.animegan.submission.Submitter;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.BlobRef;
import io.animegan.events.Options;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.submission.Submitter.Accepted;
import io.animegan.submission.UploadValidator.ValidUpload;
import io.animegan.status.ImageStatus;
import io.animegan.status.StatusStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The style catalogue for clients: {@code GET /api/styles} lists every style with its
 * availability, {@code GET /api/styles/{id}/thumbnail} shows a small built-in example photo in
 * that style. A thumbnail is drawn once, by the pipeline itself (as an ordinary upload), then kept
 * in storage under {@link Keys#styleThumbnail} and served from there with a long cache lifetime.
 */
public final class StyleRoutes implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StyleRoutes.class);

  static final String EXAMPLE = "style-example.jpg";
  static final int THUMBNAIL_SIDE = 256;
  static final Duration RENDER_TIMEOUT = Duration.ofMinutes(3);
  static final String CACHE_CONTROL = "public, max-age=604800";

  private final StyleCatalogue catalogue;
  private final Submitter submitter;
  private final StatusStore statuses;
  private final BlobStore store;
  private final ValidUpload example;
  private final Map<String, CompletableFuture<byte[]>> renders = new ConcurrentHashMap<>();
  /** One render at a time: they queue behind each other in the pipeline anyway. */
  private final ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "style-thumbnails");
    thread.setDaemon(true);
    return thread;
  });

  public StyleRoutes(StyleCatalogue catalogue, Submitter submitter, StatusStore statuses, BlobStore store,
      UploadValidator validator) {
    this.catalogue = catalogue;
    this.submitter = submitter;
    this.statuses = statuses;
    this.store = store;
    this.example = validator.validate(EXAMPLE, exampleBytes());
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/styles", ctx -> ctx.json(list()));
    routes.get("/api/styles/{id}/thumbnail", this::thumbnail);
  }

  /** {@code GET /api/styles}. */
  public record CatalogueView(@JsonProperty("default") String defaultStyle, List<StyleView> styles) {}

  public record StyleView(String id, String name, String description, boolean available, String reason,
      String thumbnail) {}

  CatalogueView list() {
    return new CatalogueView(catalogue.defaultStyle().id(), catalogue.styles().stream().map(style -> {
      StyleCatalogue.Availability a = catalogue.availability(style);
      return new StyleView(style.id(), style.name(), style.description(), a.available(), a.reason(),
          "/api/styles/" + style.id() + "/thumbnail");
    }).toList());
  }

  void thumbnail(Context ctx) {
    Style style = catalogue.find(ctx.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("no style " + ctx.pathParam("id")));
    StyleCatalogue.Availability availability = catalogue.availability(style);
    if (!availability.available()) {
      throw ApiException.notFound("style '" + style.id() + "' is unavailable: " + availability.reason());
    }
    ctx.header("Cache-Control", CACHE_CONTROL).contentType("image/jpeg").result(thumbnail(style));
  }

  private byte[] thumbnail(Style style) {
    try {
      return store.get(new BlobRef(store.bucket(), Keys.styleThumbnail(style.id())));
    } catch (BlobNotFoundException e) {
      // not drawn yet
    }
    CompletableFuture<byte[]> render = renders.computeIfAbsent(style.id(),
        id -> CompletableFuture.supplyAsync(() -> render(style), renderer));
    try {
      return render.get(RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while drawing the thumbnail");
    } catch (TimeoutException e) {
      throw new ApiException(503, "the thumbnail of " + style.id() + " is still being drawn; try again");
    } catch (ExecutionException e) {
      renders.remove(style.id(), render);
      if (e.getCause() instanceof ApiException api) {
        throw api;
      }
      // The cause may name the storage endpoint or bucket: logged, not shown.
      log.warn("thumbnail of {} failed: {}", style.id(), e.getCause().toString());
      throw new ApiException(503, "cannot draw the thumbnail of " + style.id() + " right now; try again");
    } finally {
      if (render.isDone()) {
        renders.remove(style.id(), render);
      }
    }
  }

  /** The example through the whole pipeline in this style; the result is kept as the thumbnail. */
  private byte[] render(Style style) {
    Options options = Options.newBuilder()
        .setStyle(style.id()).setMaxSide(THUMBNAIL_SIDE).setFormat("jpeg")
        .build();
    Accepted accepted = submitter.submit(List.of(example), List.of(options), System.nanoTime()).get(0);
    long deadline = System.nanoTime() + RENDER_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ImageStatus status = statuses.find(accepted.id()).orElse(null);
      if (status != null && status.phase() == Phase.DONE) {
        byte[] jpeg = store.get(ResultRefs.result(status, store.bucket()));
        store.put(Keys.styleThumbnail(style.id()), jpeg, "image/jpeg");
        return jpeg;
      }
      if (status != null && status.phase() == Phase.FAILED) {
        throw new ApiException(503, "the thumbnail of " + style.id() + " failed: " + status.error());
      }
      sleep();
    }
    throw new ApiException(503, "the thumbnail of " + style.id() + " is still being drawn; try again");
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while drawing the thumbnail");
    }
  }

  private static byte[] exampleBytes() {
    try (InputStream in = StyleRoutes.class.getResourceAsStream(EXAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("resource missing: " + EXAMPLE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    renderer.shutdownNow();
  }
}
