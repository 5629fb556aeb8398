package io.animegan.ingest;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Headers every response carries, whatever answers it (API, static page, errors from Javalin or
 * from Jetty itself). The content security policy allows exactly what the page uses: its own
 * script, style and API, and chosen files as blob: URLs (a photo's preview, a clip's original).
 */
final class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
                    + "style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                    + "form-action 'self'; frame-ancestors 'none'";

    static final Map<String, String> ALWAYS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    /** API answers are per request and may be private: never cached by browsers or proxies. */
    static final String API_CACHE_CONTROL = "no-store";

    private SecurityHeaders() {}

    static void apply(String path, BiConsumer<String, String> setHeader) {
        ALWAYS.forEach(setHeader);
        if (path == null || path.startsWith("/api")) {
            setHeader.accept("Cache-Control", API_CACHE_CONTROL);
        }
    }
}
