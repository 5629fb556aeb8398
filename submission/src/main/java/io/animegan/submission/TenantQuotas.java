package io.animegan.submission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.animegan.status.StatusStore;
import io.animegan.status.StatusUnavailableException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.function.ToLongFunction;

/**
 * Each tenant's quotas, checked before anything of a request is stored: pictures per minute (a
 * token bucket per tenant on this instance) and bytes of originals kept in storage (the status
 * store's per-tenant total, the same on every instance). Over either: 429 with Retry-After.
 */
public final class TenantQuotas {

    /** What to wait when over the storage quota: space comes back only as retention deletes pictures. */
    public static final long STORED_RETRY_AFTER_SECONDS = 3600;

    private final long picturesPerMinute;
    private final long maxStoredBytes;
    private final ToLongFunction<Tenant> storedBytes;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(ClientRateLimiter.MAX_CLIENTS)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();

    /** @param storedBytes bytes the tenant keeps stored now */
    public TenantQuotas(AdmissionLimits limits, ToLongFunction<Tenant> storedBytes) {
        this.picturesPerMinute = limits.picturesPerMinute();
        this.maxStoredBytes = limits.maxStoredBytes();
        this.storedBytes = storedBytes;
    }

    /**
     * Charges {@code pictures} pictures of {@code bytes} bytes in all to the tenant, or refuses.
     * The storage quota is checked first, so a refused request spends none of the picture budget.
     */
    public void charge(Tenant tenant, long pictures, long bytes) {
        if (maxStoredBytes > 0) {
            long stored = storedBytes.applyAsLong(tenant);
            if (stored + bytes > maxStoredBytes) {
                throw tooMany(
                        STORED_RETRY_AFTER_SECONDS,
                        "storage quota: " + stored + " bytes stored, this request " + bytes + " more; the limit is "
                                + maxStoredBytes + " bytes until retention deletes older pictures");
            }
        }
        if (picturesPerMinute > 0) {
            if (pictures > picturesPerMinute) {
                throw ApiException.badRequest(
                        pictures + " pictures in one request; the quota is " + picturesPerMinute + " per minute");
            }
            ConsumptionProbe probe = buckets.get(tenant.id(), id -> newBucket()).tryConsumeAndReturnRemaining(pictures);
            if (!probe.isConsumed()) {
                long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
                throw tooMany(
                        seconds,
                        "picture quota: " + picturesPerMinute + " pictures per minute; retry after " + seconds + " s");
            }
        }
    }

    /** Quotas whose stored bytes the status store sums; while it cannot say, a charge is refused with 503. */
    public static TenantQuotas of(AdmissionLimits limits, StatusStore statuses) {
        return new TenantQuotas(limits, tenant -> {
            try {
                return statuses.storedBytes(tenant.id());
            } catch (StatusUnavailableException e) {
                throw new ServiceUnavailableException("the storage quota cannot be checked right now; try again", e);
            }
        });
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(b -> b.capacity(picturesPerMinute).refillGreedy(picturesPerMinute, Duration.ofMinutes(1)))
                .build();
    }

    private static ApiException tooMany(long retryAfterSeconds, String message) {
        return new ApiException(429, message, retryAfterSeconds);
    }
}
