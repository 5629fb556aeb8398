package io.animegan.status;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.animegan.common.storage.BlobStore.Patience;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs state-store lookups on threads of their own and waits for each at most {@link #bound}.
 * Kafka Streams can hold a store's lock, or its metadata's, for as long as a broker call takes (a
 * cache flush to the changelog, a rebalance) and longer while the broker is away; a request thread
 * that waited there would hang its client. Past the bound the caller hears
 * {@link StatusUnavailableException} (HTTP 503 with Retry-After) and the lookup finishes on its own.
 *
 * <p>A lookup that meets a store not queryable yet (just started, restoring, or moved by a
 * rebalance, which is often over within a second) is asked again within the same bound, so the
 * caller hears 503 only when the store stays away.
 */
final class BoundedLookups implements AutoCloseable {

    private static final int THREADS = 8;
    private static final int WAITING = 256;

    private final Duration bound;
    private final RetryPolicy<Object> retry;
    private final ThreadPoolExecutor pool;

    BoundedLookups(Duration bound) {
        this.bound = bound;
        this.retry = retryPolicy(bound);
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WAITING), task -> {
                    Thread thread = new Thread(task, "status-lookup-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Asks again after {@link StatusUnavailableException}, first after a fortieth of the bound, then
     * twice as long each time up to a fifth of it. No retry starts in the bound's last fifth, so the
     * last attempt's own reason reaches the caller rather than the bound's. The connect timeout of
     * {@link Patience} has no use here.
     */
    private static RetryPolicy<Object> retryPolicy(Duration bound) {
        Duration maxDelay = bound.dividedBy(5);
        return new Patience(-1, bound.dividedBy(40), maxDelay, bound.minus(maxDelay), bound)
                .retries()
                .handle(StatusUnavailableException.class)
                .abortIf((result, failure) -> Thread.currentThread().isInterrupted())
                .build();
    }

    /**
     * The lookup's answer, or its own exception; a {@link StatusUnavailableException} of the lookup's
     * after it asked again within the bound; {@link StatusUnavailableException} once the bound has passed.
     */
    <T> T call(String what, Supplier<T> lookup) {
        Future<T> answer;
        try {
            answer = pool.submit(() -> Failsafe.with(retry).get(lookup::get));
        } catch (RejectedExecutionException e) {
            throw new StatusUnavailableException("too many status lookups are waiting for the status store");
        }
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new StatusUnavailableException(what + ": the status store did not answer within " + bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new StatusUnavailableException(what + ": interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
