package io.animegan.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who may reach the service and how much of it one client may hold: the names it answers to, the
 * other sites whose pages may change state, the internal port other instances ask, and the caps
 * on event streams.
 *
 * @param allowedHosts host names (any port) a request's {@code Host} may carry; empty means the
 *     default for the bind address (loopback names on loopback, any name beyond it)
 * @param allowedOrigins origins ({@code https://example.org}) besides the service's own whose
 *     pages may send state-changing requests, e.g. the public origin behind a TLS proxy
 * @param internalPort port of the instance-to-instance routes ({@code /internal/...}); 0 picks a free one
 * @param internalSecret when set, the instances send and require it on the internal routes; null for none
 * @param streams caps on server-sent event streams
 */
public record GuardSettings(
        List<String> allowedHosts,
        List<String> allowedOrigins,
        int internalPort,
        String internalSecret,
        StreamLimits streams) {

    /** Host names a loopback-bound service answers to, at any port. */
    public static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

    public GuardSettings {
        allowedHosts = Objects.requireNonNull(allowedHosts, "allowedHosts").stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
        allowedOrigins = Objects.requireNonNull(allowedOrigins, "allowedOrigins").stream()
                .map(GuardSettings::origin)
                .filter(o -> !o.isEmpty())
                .toList();
        if (internalPort < 0 || internalPort > 65_535) {
            throw new IllegalArgumentException("internal port must be 0..65535, not " + internalPort);
        }
        if (internalSecret != null && internalSecret.isBlank()) {
            internalSecret = null;
        }
        Objects.requireNonNull(streams, "streams");
    }

    public static GuardSettings defaults() {
        return new GuardSettings(List.of(), List.of(), 0, null, StreamLimits.DEFAULT);
    }

    public GuardSettings withAllowedHosts(List<String> hosts) {
        return new GuardSettings(hosts, allowedOrigins, internalPort, internalSecret, streams);
    }

    public GuardSettings withAllowedOrigins(List<String> origins) {
        return new GuardSettings(allowedHosts, origins, internalPort, internalSecret, streams);
    }

    public GuardSettings withInternalSecret(String secret) {
        return new GuardSettings(allowedHosts, allowedOrigins, internalPort, secret, streams);
    }

    public GuardSettings withStreams(StreamLimits limits) {
        return new GuardSettings(allowedHosts, allowedOrigins, internalPort, internalSecret, limits);
    }

    /** An origin as browsers send it: lower case, no trailing slash. */
    static String origin(String text) {
        String o = text.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "GuardSettings[allowedHosts=" + allowedHosts + ", allowedOrigins=" + allowedOrigins + ", internalPort="
                + internalPort + ", internalSecret=" + (internalSecret == null ? "none" : "set") + ", streams="
                + streams + "]";
    }

    /**
     * Caps on server-sent event streams.
     *
     * @param perTenant open streams one tenant may hold; past it 429
     * @param total open streams the instance holds; past it 503
     * @param maxLifetime a stream is ended after this long (the page's EventSource reconnects), so
     *     a forgotten tab does not hold a slot for ever
     */
    public record StreamLimits(int perTenant, int total, Duration maxLifetime) {

        public static final StreamLimits DEFAULT = new StreamLimits(20, 500, Duration.ofMinutes(30));

        public StreamLimits {
            if (perTenant < 1 || total < 1) {
                throw new IllegalArgumentException("stream caps must be at least 1, not " + perTenant + "/" + total);
            }
            if (maxLifetime == null || maxLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("stream lifetime must be at least 1 s, not " + maxLifetime);
            }
        }
    }
}
