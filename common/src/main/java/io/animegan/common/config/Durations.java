package io.animegan.common.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one grammar of durations in options and settings: {@code 500ms}, {@code 900s}, {@code 15m}, {@code 1h}, {@code 30d} or ISO-8601. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Reads {@code 30d}, {@code 12h}, {@code 15m}, {@code 45s}, {@code 500ms} (case and surrounding
     * blanks ignored) or ISO-8601 ({@code PT1H}, {@code P30D}).
     *
     * @throws IllegalArgumentException for anything else, naming the value and the accepted forms
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "not a duration: '" + text + "' (try 900ms, 45s, 15m, 12h, 30d or PT1H)");
        }
    }

    /** {@link #parse}, refusing zero and negative durations. */
    public static Duration parsePositive(String text) {
        Duration duration = parse(text);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("must be positive: " + text);
        }
        return duration;
    }
}
