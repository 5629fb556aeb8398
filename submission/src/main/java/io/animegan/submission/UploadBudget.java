package io.animegan.submission;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bytes of uploads all requests together may hold in memory at once, in MiB permits: a request
 * takes what it may hold before it reads its body (or an object), and gives it back when done. A
 * request that cannot get its share within {@link #WAIT_MS} is answered 503 with Retry-After, so
 * however many clients send at once, the heap holds at most the budget of their bytes.
 */
public final class UploadBudget {

    static final long WAIT_MS = 10_000;
    static final int RETRY_AFTER_SECONDS = 2;
    private static final long MIB = 1024 * 1024;

    private final int totalMib;
    private final Semaphore permits;

    public UploadBudget(long bytes) {
        this.totalMib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / MIB));
        this.permits = new Semaphore(totalMib, true);
    }

    /** A share of the budget; closing it gives it back. */
    public interface Share extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes {@code bytes} (rounded up to MiB, at most the whole budget) or refuses with 503. */
    public Share take(long bytes) {
        int mib = (int) Math.min(totalMib, Math.max(1, (bytes + MIB - 1) / MIB));
        boolean taken;
        try {
            taken = permits.tryAcquire(mib, WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            throw new ApiException(503, "too many uploads in progress; try again", RETRY_AFTER_SECONDS);
        }
        return () -> permits.release(mib);
    }

    int availableMib() {
        return permits.availablePermits();
    }
}
