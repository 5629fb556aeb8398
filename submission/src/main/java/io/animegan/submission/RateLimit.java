package io.animegan.submission;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A per-client token bucket: {@code permits} requests per {@code period} on average, up to
 * {@code burst} at once. {@link #OFF} (no permits) turns the limit off.
 */
public record RateLimit(long permits, Duration period, long burst) {

    public static final RateLimit OFF = new RateLimit(0, Duration.ofSeconds(1), 0);
    /** Generous for the web page (one upload per photo and a status poll per second per photo). */
    public static final RateLimit DEFAULT = new RateLimit(50, Duration.ofSeconds(1), 100);

    private static final Pattern SPEC = Pattern.compile("(\\d+)\\s*/\\s*(s|sec|second|m|min|minute|h|hour)");

    public RateLimit {
        if (permits < 0 || burst < 0 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs permits >= 0, burst >= 0 and a positive period");
        }
        if (permits > 0 && burst < 1) {
            throw new IllegalArgumentException("a rate limit's burst must be at least 1");
        }
    }

    public boolean enabled() {
        return permits > 0;
    }

    /**
     * Parses {@code N/s}, {@code N/m} or {@code N/h} ({@code off} or {@code 0/s} for none).
     *
     * @param burst most requests at once; 0 means the same as N
     */
    public static RateLimit parse(String spec, long burst) {
        String text = spec.trim().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("none")) {
            return OFF;
        }
        Matcher m = SPEC.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("rate limit '" + spec + "' is not N/s, N/m, N/h or off");
        }
        long permits = Long.parseLong(m.group(1));
        if (permits == 0) {
            return OFF;
        }
        Duration period = switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(1);
            case 'm' -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new RateLimit(permits, period, burst > 0 ? burst : permits);
    }

    @Override
    public String toString() {
        String unit = period.equals(Duration.ofSeconds(1))
                ? "s"
                : period.equals(Duration.ofMinutes(1))
                        ? "m"
                        : period.equals(Duration.ofHours(1)) ? "h" : period.toString();
        return enabled() ? permits + "/" + unit + " (burst " + burst + ")" : "off";
    }
}
