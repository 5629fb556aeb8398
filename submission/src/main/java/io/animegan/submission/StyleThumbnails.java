package io.animegan.submission;

import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.events.BlobRef;
import io.animegan.events.Options;
import io.animegan.status.ImageStatus;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.ServedResults;
import io.animegan.status.StatusStore;
import io.animegan.submission.UploadValidator.ValidUpload;
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
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each style's thumbnail: a small built-in example photo in that style, drawn once by the pipeline
 * itself (submitted as an ordinary upload, its end heard on the status store's change feed), then
 * kept in storage under {@link Keys#styleThumbnail} and read from there.
 */
public final class StyleThumbnails implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StyleThumbnails.class);

    static final String EXAMPLE = "style-example.jpg";
    static final int THUMBNAIL_SIDE = 256;
    static final Duration RENDER_TIMEOUT = Duration.ofMinutes(3);

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

    public StyleThumbnails(Submitter submitter, StatusStore statuses, BlobStore store, UploadValidator validator) {
        this.submitter = submitter;
        this.statuses = statuses;
        this.store = store;
        this.example = validator.validate(EXAMPLE, exampleBytes());
    }

    /** The style's thumbnail (a JPEG): the stored one, else drawn now (at most {@link #RENDER_TIMEOUT}), else 503. */
    public byte[] get(Style style) {
        try {
            return store.get(new BlobRef(store.bucket(), Keys.styleThumbnail(style.id())));
        } catch (BlobNotFoundException e) {
            // not drawn yet
        }
        CompletableFuture<byte[]> render =
                renders.computeIfAbsent(style.id(), id -> CompletableFuture.supplyAsync(() -> render(style), renderer));
        try {
            return render.get(RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while drawing the thumbnail");
        } catch (TimeoutException e) {
            throw stillDrawing(style);
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
                .setStyle(style.id())
                .setMaxSide(THUMBNAIL_SIDE)
                .setFormat("jpeg")
                .build();
        AtomicReference<String> id = new AtomicReference<>();
        CompletableFuture<ImageStatus> finished = new CompletableFuture<>();
        // Subscribed before submitting, so the picture's end cannot pass unheard.
        try (AutoCloseable ignored = statuses.subscribe(status -> {
            if (status.id().equals(id.get()) && isFinal(status)) {
                finished.complete(status);
            }
        })) {
            id.set(submitter
                    .submit(List.of(example), List.of(options), System.nanoTime())
                    .get(0)
                    .id());
            // An end heard before the id was known is in the store already.
            statuses.find(id.get()).filter(StyleThumbnails::isFinal).ifPresent(finished::complete);
            ImageStatus status = finished.get(RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (status.phase() == Phase.FAILED) {
                throw new ApiException(503, "the thumbnail of " + style.id() + " failed: " + status.error());
            }
            byte[] jpeg = store.get(result(status));
            store.put(Keys.styleThumbnail(style.id()), jpeg, "image/jpeg");
            return jpeg;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while drawing the thumbnail");
        } catch (TimeoutException e) {
            throw stillDrawing(style);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot draw the thumbnail of " + style.id(), e);
        }
    }

    private static boolean isFinal(ImageStatus status) {
        return status.phase() == Phase.DONE || status.phase() == Phase.FAILED;
    }

    /** The result, when it is one the service serves. */
    private BlobRef result(ImageStatus status) {
        if (ServedResults.refusal(status.id(), status.result(), status.resultContentType(), store.bucket())
                .isPresent()) {
            throw ApiException.notFound("image " + status.id() + " has no result this service serves");
        }
        return status.result();
    }

    private static ApiException stillDrawing(Style style) {
        return new ApiException(503, "the thumbnail of " + style.id() + " is still being drawn; try again");
    }

    private static byte[] exampleBytes() {
        try (InputStream in = StyleThumbnails.class.getResourceAsStream(EXAMPLE)) {
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
