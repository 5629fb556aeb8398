package io.animegan.stylize;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.style.StyleCatalogue.Availability;
import io.animegan.common.style.UnknownStyleException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generators of the styles this instance serves, loaded on first use and kept at most
 * {@code maxSessions} at a time: the least recently used session is closed when another style
 * needs room, so memory stays bounded however many styles there are.
 *
 * <p>Every call runs under this object's lock: a generator reuses its buffers and an evicted
 * session must not be closed under a running call. (A stage runs one stream thread.)
 */
public final class Generators implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Generators.class);

    private final StyleCatalogue catalogue;
    private final Set<String> served;
    private final int maxSessions;
    private final int threads;
    private final TiledStylizer tiling;
    private final LinkedHashMap<String, StyleGenerator> loaded = new LinkedHashMap<>(8, 0.75f, true);
    /** One picture's tensors for all the styles: their calls take turns under this object's lock. */
    private final TensorBuffers buffers = new TensorBuffers();

    /**
     * @param served style ids this instance takes (empty: every available style)
     * @param threads intra-op threads per session (0: one per processor)
     */
    public Generators(StyleCatalogue catalogue, Set<String> served, int maxSessions, int threads) {
        this(catalogue, served, maxSessions, threads, PipelineConfig.DEFAULT_TILE_PIXELS);
    }

    /** @param tilePixels pictures larger than this are drawn in tiles (see {@link TiledStylizer}) */
    public Generators(StyleCatalogue catalogue, Set<String> served, int maxSessions, int threads, long tilePixels) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("max sessions must be at least 1, not " + maxSessions);
        }
        for (String id : served) {
            catalogue.resolve(id);
        }
        this.catalogue = catalogue;
        this.served =
                Set.copyOf(served.stream().map(id -> catalogue.resolve(id).id()).toList());
        this.maxSessions = maxSessions;
        this.threads = threads;
        this.tiling = new TiledStylizer(tilePixels);
    }

    /** {@code bgr} drawn in the style {@code styleId} (id or alias); the caller owns the result. */
    public synchronized Mat stylize(String styleId, Mat bgr) {
        StyleGenerator generator = generator(styleId);
        return tiling.stylize(bgr, generator, sharedStatistics(generator.style()));
    }

    /**
     * {@code bgr} drawn in the style with the generator at {@code styleSide} (longest side) and
     * guided up to its size ({@link FastHd}); null {@code styleSide} draws at full size.
     */
    public synchronized Mat stylize(String styleId, Mat bgr, Integer styleSide) {
        if (styleSide == null) {
            return stylize(styleId, bgr);
        }
        StyleGenerator generator = generator(styleId);
        return FastHd.draw(
                bgr, styleSide, small -> tiling.stylize(small, generator, sharedStatistics(generator.style())));
    }

    /** The style a request names, or a StageException saying why this instance cannot draw it. */
    public Style style(String styleId) {
        Style style;
        try {
            style = catalogue.resolve(styleId);
        } catch (UnknownStyleException e) {
            throw new StageException(ErrorCode.INVALID_OPTIONS, e.getMessage());
        }
        if (!served.isEmpty() && !served.contains(style.id())) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS, "style " + style.id() + " is not served by this instance");
        }
        Availability availability = catalogue.availability(style);
        if (!availability.available()) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS, "style " + style.id() + " is unavailable: " + availability.reason());
        }
        return style;
    }

    /** Loads the style's generator in its shared-statistics form, for one tiled picture. */
    private Supplier<Optional<SharedStatisticsModel>> sharedStatistics(Style style) {
        return () -> SharedStatisticsModel.load(
                catalogue.modelsDir().resolve(catalogue.availability(style).modelFile()), threads);
    }

    private StyleGenerator generator(String styleId) {
        Style style = style(styleId);
        StyleGenerator generator = loaded.get(style.id());
        if (generator != null) {
            return generator;
        }
        while (loaded.size() >= maxSessions) {
            Iterator<Map.Entry<String, StyleGenerator>> eldest =
                    loaded.entrySet().iterator();
            Map.Entry<String, StyleGenerator> entry = eldest.next();
            eldest.remove();
            log.info("closing the {} session to make room (at most {})", entry.getKey(), maxSessions);
            entry.getValue().close();
        }
        String file = catalogue.availability(style).modelFile();
        long start = System.nanoTime();
        generator = new StyleGenerator(style, OnnxModel.load(catalogue.modelsDir(), file, threads), buffers);
        log.info("loaded style {} from {} in {} ms", style.id(), file, (System.nanoTime() - start) / 1_000_000);
        loaded.put(style.id(), generator);
        return generator;
    }

    public Set<String> served() {
        return served;
    }

    /**
     * True when this instance takes pictures of {@code styleId}: every style without a list; with a
     * list, the styles on it. An unknown id is taken by the deployment of the default style, so
     * exactly one deployment reports it as failed.
     */
    public boolean serves(String styleId) {
        if (served.isEmpty()) {
            return true;
        }
        return catalogue
                .find(styleId)
                .map(style -> served.contains(style.id()))
                .orElse(served.contains(catalogue.defaultStyle().id()));
    }

    /** Ids of the sessions now loaded, least recently used first. */
    public synchronized List<String> loaded() {
        return List.copyOf(loaded.keySet());
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(StyleGenerator::close);
        loaded.clear();
    }
}
