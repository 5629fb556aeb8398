package io.animegan.status;

import io.animegan.common.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes pictures' blobs off the stream thread, so storage latency or an outage never holds up
 * the fold. A punctuator submits ids; ids whose blobs are all gone come back from
 * {@link #drainDeleted()} at a later punctuation, which then updates the stores. A failed
 * deletion is simply not reported: the id is still in its store and the next round submits it again.
 */
final class BackgroundDeletions {

    private static final Logger log = LoggerFactory.getLogger(BackgroundDeletions.class);
    private static final long WARN_EVERY_NANOS = 30_000_000_000L;

    private final String what;
    private final PrefixDeleter blobs;
    private final Executor executor;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Queue<String> deleted = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    BackgroundDeletions(String what, PrefixDeleter blobs, Executor executor) {
        this.what = what;
        this.blobs = blobs;
        this.executor = executor;
    }

    /** Starts deleting {@code prefixes} unless the id is already under way; false when the executor is full. */
    boolean submit(String id, List<String> prefixes) {
        if (!inFlight.add(id)) {
            return true;
        }
        try {
            executor.execute(() -> delete(id, prefixes));
            return true;
        } catch (RejectedExecutionException e) {
            inFlight.remove(id);
            return false;
        }
    }

    private void delete(String id, List<String> prefixes) {
        try {
            for (String prefix : prefixes) {
                blobs.deletePrefix(prefix);
            }
            deleted.add(id);
        } catch (StorageException e) {
            inFlight.remove(id);
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
                log.warn("{}: cannot delete blobs now ({}); they stay queued and are retried", what, e.getMessage());
            }
        } catch (RuntimeException e) {
            inFlight.remove(id);
            log.warn("{}: deleting the blobs of {} failed; retried later", what, id, e);
        }
    }

    /** Ids whose blobs are gone since the last call. */
    List<String> drainDeleted() {
        List<String> ids = new ArrayList<>();
        for (String id; (id = deleted.poll()) != null; ) {
            ids.add(id);
            inFlight.remove(id);
        }
        return ids;
    }
}
