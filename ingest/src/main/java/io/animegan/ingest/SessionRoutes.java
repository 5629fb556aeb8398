package io.animegan.ingest;

import io.animegan.submission.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The page's token cookie, set and cleared by the server so page scripts never hold it:
 * {@code POST /api/session} with {@code Authorization: Bearer <token>} (checked by {@link ApiGuard}
 * first) answers 204 with the cookie, HttpOnly and SameSite=Strict, limited to {@code /api};
 * {@code DELETE /api/session} clears it.
 */
final class SessionRoutes {

    static final String PATH = "/api/session";

    void register(RoutesConfig routes) {
        routes.post(PATH, this::signIn);
        routes.delete(PATH, this::forget);
    }

    static boolean isForget(Context ctx) {
        return ctx.method() == HandlerType.DELETE && ctx.path().equals(PATH);
    }

    private void signIn(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw ApiException.badRequest("send the token as 'Authorization: Bearer <token>'");
        }
        String token = authorization.substring(7).strip();
        ctx.header("Set-Cookie", cookie(URLEncoder.encode(token, StandardCharsets.UTF_8), secure(ctx), -1));
        ctx.status(204);
    }

    private void forget(Context ctx) {
        ctx.header("Set-Cookie", cookie("", secure(ctx), 0));
        ctx.status(204);
    }

    /**
     * Secure when the browser is on https: the request itself, or its Origin, which {@link SiteGuard}
     * has already matched against this service's own origin or an allowed one (so a TLS proxy in
     * front needs no trust setting of its own).
     */
    static boolean secure(Context ctx) {
        String origin = ctx.header("Origin");
        return ctx.scheme().equalsIgnoreCase("https")
                || (origin != null
                        && origin.strip().toLowerCase(java.util.Locale.ROOT).startsWith("https://"));
    }

    static String cookie(String value, boolean secure, int maxAgeSeconds) {
        return ApiGuard.COOKIE + "=" + value + "; Path=/api; HttpOnly; SameSite=Strict"
                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "") + (secure ? "; Secure" : "");
    }
}
