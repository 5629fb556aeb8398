package io.animegan.ingest;

import io.animegan.common.storage.BlobStore;
import io.animegan.status.QueueEstimator;
import io.animegan.status.StatusStore;
import io.animegan.submission.OptionsParser;
import io.animegan.submission.VideoAdmission;
import io.animegan.submission.VideoContainer;
import io.javalin.config.RoutesConfig;
import java.util.Arrays;
import java.util.List;

/**
 * The routes behind the web page, besides the core API: live progress, examples, downloads and
 * ZIPs, and the limits the page checks files against before uploading.
 */
public final class PageRoutes implements AutoCloseable {

    /** Most pictures the page sends in one go (it sends them one request each). */
    public static final int MAX_BATCH = 20;

    private final ProgressRoutes progress;
    private final ExampleRoutes examples;
    private final ResultFiles results;
    private final PageLimits limits;

    /**
     * What the page refuses before uploading, mirroring what the server refuses: pictures, and clips
     * ({@code maxVideoBytes}, {@code maxVideoSide}, also the clips' default, and {@code videoTypes}).
     */
    public record PageLimits(
            long maxUploadBytes,
            int maxFiles,
            int minSide,
            int maxSide,
            int defaultMaxSide,
            List<String> types,
            long maxVideoBytes,
            int maxVideoSide,
            List<String> videoTypes) {}

    public PageRoutes(StatusStore feed, BlobStore store, IngestSettings settings, VideoAdmission videos) {
        this.progress = new ProgressRoutes(
                feed, new QueueEstimator(), store, settings.guards().streams());
        this.examples = new ExampleRoutes(settings.examplesDir());
        this.results = new ResultFiles(feed, store);
        this.limits = new PageLimits(
                settings.maxUploadBytes(),
                MAX_BATCH,
                OptionsParser.MIN_MAX_SIDE,
                OptionsParser.MAX_MAX_SIDE,
                OptionsParser.DEFAULT_MAX_SIDE,
                List.of("image/jpeg", "image/png", "image/webp", "image/bmp"),
                videos.maxBytes(),
                videos.maxOutputSide(),
                Arrays.stream(VideoContainer.values())
                        .map(VideoContainer::contentType)
                        .toList());
    }

    public void register(RoutesConfig routes) {
        progress.register(routes);
        examples.register(routes);
        results.register(routes);
        routes.get("/api/limits", ctx -> ctx.json(limits));
    }

    @Override
    public void close() throws Exception {
        progress.close();
    }
}
