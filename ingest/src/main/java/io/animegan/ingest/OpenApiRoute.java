package io.animegan.ingest;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the OpenAPI document of every route this service answers, as kept
 * in the repository ({@code api/openapi.json} on the class path). Tests validate the answers they
 * receive against the same file, so it cannot drift from the routes.
 */
final class OpenApiRoute {

    static final String PATH = "/api/openapi.json";
    static final String RESOURCE = "/api/openapi.json";

    private final byte[] document;

    OpenApiRoute() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + RESOURCE);
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType("application/json").result(document));
    }
}
