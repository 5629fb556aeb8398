package io.animegan.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.submission.ApiException;
import io.animegan.submission.StyleThumbnails;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * The style catalogue for clients: {@code GET /api/styles} lists every style with its
 * availability, {@code GET /api/styles/{id}/thumbnail} shows a small built-in example photo in
 * that style ({@link StyleThumbnails}), with a long cache lifetime.
 */
public final class StyleRoutes {

    static final String CACHE_CONTROL = "public, max-age=604800";

    private final StyleCatalogue catalogue;
    private final StyleThumbnails thumbnails;

    public StyleRoutes(StyleCatalogue catalogue, StyleThumbnails thumbnails) {
        this.catalogue = catalogue;
        this.thumbnails = thumbnails;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/styles", ctx -> ctx.json(list()));
        routes.get("/api/styles/{id}/thumbnail", this::thumbnail);
    }

    /** {@code GET /api/styles}. */
    public record CatalogueView(@JsonProperty("default") String defaultStyle, List<StyleView> styles) {}

    public record StyleView(
            String id, String name, String description, boolean available, String reason, String thumbnail) {}

    CatalogueView list() {
        return new CatalogueView(
                catalogue.defaultStyle().id(),
                catalogue.styles().stream()
                        .map(style -> {
                            StyleCatalogue.Availability a = catalogue.availability(style);
                            return new StyleView(
                                    style.id(),
                                    style.name(),
                                    style.description(),
                                    a.available(),
                                    a.reason(),
                                    "/api/styles/" + style.id() + "/thumbnail");
                        })
                        .toList());
    }

    void thumbnail(Context ctx) {
        Style style = catalogue
                .find(ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("no style " + ctx.pathParam("id")));
        StyleCatalogue.Availability availability = catalogue.availability(style);
        if (!availability.available()) {
            throw ApiException.notFound("style '" + style.id() + "' is unavailable: " + availability.reason());
        }
        ctx.header("Cache-Control", CACHE_CONTROL).contentType("image/jpeg").result(thumbnails.get(style));
    }
}
