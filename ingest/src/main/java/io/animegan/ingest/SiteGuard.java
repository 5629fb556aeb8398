package io.animegan.ingest;

import io.animegan.submission.ApiException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Stands before every request, page included: the {@code Host} must be a name this service answers
 * to (a DNS-rebinding page reaches a loopback service under its own name, so a wrong name is
 * refused with 421), and a state-changing request must come from this service's own page or an
 * allowed origin (another site's page may send forms and fetches with the browser's cookie, so
 * {@code Origin} and {@code Sec-Fetch-Site} from elsewhere are refused with 403). Requests that
 * carry neither header (curl, servers) pass: only browsers add them, and only browsers carry
 * someone else's cookie.
 */
final class SiteGuard {

    /**
     * Probes and scrapers address the pod by its IP, which no operator lists; these paths show
     * nothing a rebinding page could use.
     */
    static final Set<String> ANY_HOST_PATHS = Set.of("/healthz", IngestMetrics.PATH);

    private static final Set<HandlerType> STATE_CHANGING =
            Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    /** Host names accepted, or null for any. */
    private final List<String> hosts;

    private final List<String> origins;

    SiteGuard(IngestSettings settings) {
        this.hosts = acceptedHosts(settings);
        this.origins = settings.guards().allowedOrigins();
    }

    /** The configured names, else loopback names on a loopback bind, else null: any name. */
    static List<String> acceptedHosts(IngestSettings settings) {
        List<String> configured = settings.guards().allowedHosts().stream()
                .map(SiteGuard::bracketed)
                .toList();
        if (!configured.isEmpty()) {
            return configured;
        }
        return settings.loopbackOnly() ? GuardSettings.LOOPBACK_HOSTS : null;
    }

    void check(Context ctx) {
        if (hosts != null && !ANY_HOST_PATHS.contains(ctx.path()) && !hosts.contains(hostName(ctx.header("Host")))) {
            throw new ApiException(421, "this service does not answer to that host name");
        }
        if (STATE_CHANGING.contains(ctx.method()) && !sameSite(ctx)) {
            throw new ApiException(403, "requests from other sites' pages are refused");
        }
    }

    /**
     * Whether the browser (if any) says the request comes from this service's page or an allowed
     * origin. {@code Origin} decides when present; without it, {@code Sec-Fetch-Site} must not name
     * another site.
     */
    private boolean sameSite(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null) {
            String given = GuardSettings.origin(origin);
            return given.equals(ownOrigin(ctx)) || origins.contains(given);
        }
        String site = ctx.header("Sec-Fetch-Site");
        return site == null || !(site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"));
    }

    /** scheme://host[:port] as the browser would write it for the page it loaded from this request's Host. */
    static String ownOrigin(Context ctx) {
        String host = ctx.header("Host");
        if (host == null) {
            return "";
        }
        String scheme = ctx.scheme().toLowerCase(Locale.ROOT);
        String authority = host.strip().toLowerCase(Locale.ROOT);
        String defaultPort = scheme.equals("https") ? ":443" : ":80";
        if (authority.endsWith(defaultPort)) {
            authority = authority.substring(0, authority.length() - defaultPort.length());
        }
        return scheme + "://" + authority;
    }

    /** The name in a Host header, without its port, lower case; IPv6 literals keep their brackets. */
    static String hostName(String header) {
        if (header == null) {
            return "";
        }
        String host = header.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** An IPv6 literal configured without brackets, as a Host header carries it. */
    private static String bracketed(String name) {
        return name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name;
    }
}
