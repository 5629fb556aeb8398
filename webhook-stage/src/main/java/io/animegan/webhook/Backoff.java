package io.animegan.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: the first retry after {@code first}, each later one twice
 * as long after the previous, at most {@code longest}; each wait is drawn between half and all of
 * that ("equal jitter"), so receivers that fail together are not called again all at once.
 */
public record Backoff(Duration first, Duration longest) {

    public Backoff {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= longest, not " + first + ", " + longest);
        }
    }

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    public Duration after(int attempts, RandomGenerator random) {
        long ceiling = ceilingMillis(attempts);
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    long ceilingMillis(int attempts) {
        long first = first().toMillis();
        int doublings = Math.min(Math.max(attempts - 1, 0), 40);
        long grown = first > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : first << doublings;
        return Math.min(grown, longest.toMillis());
    }
}
