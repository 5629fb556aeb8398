package io.animegan.ingest;

import io.animegan.ingest.ApiViews.ErrorResponse;
import io.animegan.status.StatusStore;
import io.animegan.submission.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance-to-instance routes ({@link StatusStore#INTERNAL_ROUTE}, {@link StatusStore#INTERNAL_VIDEO_ROUTE},
 * {@link StatusStore#INTERNAL_JOB_ROUTE},
 * {@link StatusStore#INTERNAL_USAGE_ROUTE})
 * on a port of their own: they answer any id without a token or tenant, so they stay off the
 * public port (which answers them 404) and off the Service; with a secret configured, a request
 * must also carry it in {@link StatusStore#SECRET_HEADER}.
 */
final class InternalServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InternalServer.class);

    private final Javalin app;

    private InternalServer(Javalin app) {
        this.app = app;
    }

    static InternalServer start(
            String bindAddress, int port, String secret, ImageRoutes images, VideoRoutes videos, JobRoutes jobs) {
        byte[] expected = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        Javalin app = Javalin.create(cfg -> {
                    IngestServer.configureJetty(cfg);
                    cfg.routes.before(ctx -> checkSecret(ctx, expected));
                    cfg.routes.get(StatusStore.INTERNAL_ROUTE + "{id}", images::ownedStatus);
                    cfg.routes.get(StatusStore.INTERNAL_VIDEO_ROUTE + "{id}", videos::ownedStatus);
                    cfg.routes.get(StatusStore.INTERNAL_JOB_ROUTE + "{id}", jobs::ownedJob);
                    cfg.routes.get(StatusStore.INTERNAL_USAGE_ROUTE + "{tenant}", images::ownedUsage);
                    cfg.routes.exception(
                            HttpResponseException.class,
                            (e, ctx) ->
                                    error(ctx, e.getStatus(), e.getStatus() == 404 ? "not found" : "request refused"));
                    cfg.routes.exception(ApiException.class, IngestServer::refused);
                    cfg.routes.exception(Exception.class, (e, ctx) -> {
                        log.error("unexpected error on internal {} {}", ctx.method(), ctx.path(), e);
                        error(ctx, 500, "internal error");
                    });
                })
                .start(bindAddress, port);
        return new InternalServer(app);
    }

    private static void checkSecret(Context ctx, byte[] expected) {
        if (expected == null) {
            return;
        }
        String given = ctx.header(StatusStore.SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "internal route: wrong or missing secret");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(new ErrorResponse(message));
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
