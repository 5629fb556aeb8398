package io.animegan.ingest;

import io.animegan.ingest.GuardSettings.StreamLimits;
import io.animegan.submission.ApiException;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts open event streams per tenant and in total, and refuses one past either cap: 429 past
 * the tenant's (that tenant holds too many), 503 past the total (the instance is full); both tell
 * the client when to try again.
 */
final class StreamSlots {

    /** Seconds a refused client is told to wait: streams end when pages close or reach their lifetime. */
    static final long RETRY_AFTER_SECONDS = 10;

    private final StreamLimits limits;
    private final Map<String, Integer> perTenant = new HashMap<>();
    private int total;

    StreamSlots(StreamLimits limits) {
        this.limits = limits;
    }

    /** Takes a slot for the tenant; give it back with {@link #release} exactly once. */
    synchronized void acquire(String tenant) {
        if (total >= limits.total()) {
            throw new ApiException(
                    503, "this server holds as many event streams as it can; try again later", RETRY_AFTER_SECONDS);
        }
        int held = perTenant.getOrDefault(tenant, 0);
        if (held >= limits.perTenant()) {
            throw new ApiException(
                    429,
                    "at most " + limits.perTenant() + " event streams at a time; close another first",
                    RETRY_AFTER_SECONDS);
        }
        perTenant.put(tenant, held + 1);
        total++;
    }

    synchronized void release(String tenant) {
        perTenant.computeIfPresent(tenant, (t, held) -> held <= 1 ? null : held - 1);
        total = Math.max(0, total - 1);
    }

    synchronized int open() {
        return total;
    }
}
