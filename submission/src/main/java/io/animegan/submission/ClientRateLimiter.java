package io.animegan.submission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * One token bucket per client. The buckets live in a bounded cache: an idle client's bucket
 * is dropped once it would have refilled anyway, and a flood of distinct clients cannot grow the
 * map past {@link #MAX_CLIENTS}.
 */
public final class ClientRateLimiter {

    static final long MAX_CLIENTS = 100_000;

    private final RateLimit limit;
    private final Cache<String, Bucket> buckets;

    public ClientRateLimiter(RateLimit limit) {
        this.limit = limit;
        Duration refillTime =
                limit.period().multipliedBy(Math.max(1, (limit.burst() + limit.permits() - 1) / limit.permits()));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(refillTime.plusMinutes(1))
                .build();
    }

    /** Takes one permit for the client; empty when allowed, else the seconds to wait before retrying. */
    public OptionalLong tryTake(String client) {
        ConsumptionProbe probe = buckets.get(client, key -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return OptionalLong.of(seconds);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.permits(), limit.period()))
                .build();
    }
}
