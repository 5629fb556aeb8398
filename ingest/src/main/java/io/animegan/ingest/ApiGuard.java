package io.animegan.ingest;

import io.animegan.submission.ApiException;
import io.animegan.submission.ApiTokens;
import io.animegan.submission.ClientRateLimiter;
import io.animegan.submission.Tenant;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stands before every {@code /api} call: takes a permit from the client's token bucket, then asks
 * for a valid bearer token when tokens are configured, and attaches the request's {@link Tenant}. The bucket is keyed by the token when a
 * valid one is presented (clients behind one proxy keep their own budgets), else by the remote
 * address, so guessing tokens spends the guesser's own budget.
 */
final class ApiGuard {

    static final String REALM = "Bearer realm=\"animegan\"";
    /**
     * The page also keeps the token in this cookie (set by {@link SessionRoutes}: HttpOnly,
     * SameSite=Strict, path /api), because an {@code <img src>} or a download link cannot send an
     * Authorization header; SameSite=Strict keeps other sites' pages from riding on it.
     */
    static final String COOKIE = "animegan_token";
    /** A cookie that is not URL-encoded text: refused as a credential, never decoded into a 500. */
    private static final String MALFORMED = "malformed";

    private final ApiTokens tokens;
    private final ClientRateLimiter limiter;

    ApiGuard(IngestSettings settings) {
        this.tokens = new ApiTokens(settings.apiTokens());
        this.limiter = settings.rateLimit().enabled() ? new ClientRateLimiter(settings.rateLimit()) : null;
    }

    void check(Context ctx) {
        String authorization = authorization(ctx);
        Optional<Tenant> tenant = tokens.tenantOf(authorization);
        if (limiter != null) {
            String client = tenant.isPresent() ? "token:" + authorization : "address:" + ctx.ip();
            OptionalLong retryAfter = limiter.tryTake(client);
            if (retryAfter.isPresent()) {
                long seconds = retryAfter.getAsLong();
                throw new ApiException(429, "too many requests; retry after " + seconds + " s", seconds);
            }
        }
        // Forgetting the token needs none: a browser holding a stale or malformed cookie must be able to drop it.
        if (SessionRoutes.isForget(ctx)) {
            RequestTenant.attach(ctx, tenant.orElse(Tenant.ANONYMOUS));
            return;
        }
        if (authorization == MALFORMED) {
            ctx.header("WWW-Authenticate", REALM);
            throw new ApiException(401, "malformed API token cookie; sign in again");
        }
        if (tokens.required() && tenant.isEmpty()) {
            ctx.header("WWW-Authenticate", REALM);
            boolean presented = authorization != null;
            throw new ApiException(
                    401, presented ? "invalid API token" : "an API token is required (Authorization: Bearer <token>)");
        }
        RequestTenant.attach(ctx, tenant.orElse(Tenant.ANONYMOUS));
    }

    /** The Authorization header, or the same credential from the page's cookie. */
    private static String authorization(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null) {
            return header;
        }
        String cookie;
        try {
            cookie = ctx.cookie(COOKIE);
            return cookie == null || cookie.isBlank()
                    ? null
                    : "Bearer " + java.net.URLDecoder.decode(cookie, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return MALFORMED;
        }
    }
}
