package io.animegan.blend;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link FacePhoto}s of the faces blended last, so the styles of one upload decode and prepare
 * a face's photo side once: every style's picture names the same stored crop and label map (its
 * face group's one analysis), and the key says what they hold (see {@code BlendProcessor.photoKey}).
 * Bounded by the native bytes the photos hold, least recently used out first, and a photo
 * no style has asked for in {@link #KEEP_UNUSED} is let go, so an idle stage holds none.
 *
 * <p>Owns the photos: one leaves when it is evicted and no {@link Lease} on it is open any more,
 * or when this closes. Thread-safe; a photo is made outside the lock.
 */
public final class FacePhotos implements AutoCloseable {

    /** Holds about 13 faces at the largest crop (512 px, 9.4 MB each), 50 at the smallest (256 px). */
    public static final long DEFAULT_MAX_BYTES = 128L << 20;

    /**
     * How long a photo is kept without a lease: the styles of one upload reach blend-stage one
     * stylize call apart, seconds, and a stage idle for longer holds no photo.
     */
    static final Duration KEEP_UNUSED = Duration.ofSeconds(20);

    /** Lets go of unused photos for every instance; daemon, so it never holds a process up. */
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "face-photos-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    private final long maxBytes;
    private final ScheduledFuture<?> sweep;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;

    public FacePhotos(long maxBytes) {
        this.maxBytes = maxBytes;
        long period = KEEP_UNUSED.toSeconds() / 4; // so a photo goes at most a quarter late
        this.sweep = SWEEPER.scheduleWithFixedDelay(
                () -> releaseUnusedSince(System.nanoTime() - KEEP_UNUSED.toNanos()), period, period, TimeUnit.SECONDS);
    }

    /** One user's hold on a photo: the photo stays alive until every lease on it is closed. */
    public final class Lease implements AutoCloseable {

        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** The photo, read only, valid until this lease closes. */
        public FacePhoto photo() {
            return entry.photo;
        }

        @Override
        public void close() {
            synchronized (FacePhotos.this) {
                if (!closed) {
                    closed = true;
                    entry.users--;
                    entry.releaseIfUnused();
                }
            }
        }
    }

    private static final class Entry {
        final FacePhoto photo;
        final long bytes;
        int users;
        boolean evicted;
        long lastUsed = System.nanoTime();

        Entry(FacePhoto photo) {
            this.photo = photo;
            this.bytes = photo.bytes();
        }

        void releaseIfUnused() {
            if (evicted && users == 0) {
                photo.close();
            }
        }
    }

    /**
     * A lease on the photo kept under {@code key}, made by {@code make} (which hands over its
     * ownership) when none is.
     */
    public Lease lease(String key, Supplier<FacePhoto> make) {
        Lease kept = leaseKept(key);
        return kept != null ? kept : keep(key, make.get());
    }

    /** How many leases found their photo kept. */
    public synchronized long hits() {
        return hits;
    }

    /** The native bytes the kept photos hold. */
    public synchronized long bytes() {
        return bytes;
    }

    private synchronized Lease leaseKept(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        hits++;
        entry.users++;
        entry.lastUsed = System.nanoTime();
        return new Lease(entry);
    }

    private synchronized Lease keep(String key, FacePhoto photo) {
        Entry entry = new Entry(photo);
        entry.users = 1;
        Entry replaced = entries.put(key, entry);
        if (replaced != null) {
            // Another thread made the same photo meanwhile: the newer one is kept.
            evict(replaced);
        }
        bytes += entry.bytes;
        Iterator<Entry> eldest = entries.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Entry next = eldest.next();
            eldest.remove();
            evict(next);
        }
        return new Lease(entry);
    }

    /** Lets go of the photos last asked for before {@code cutoff} (a {@link System#nanoTime}); how many. */
    synchronized int releaseUnusedSince(long cutoff) {
        int released = 0;
        Iterator<Entry> kept = entries.values().iterator();
        while (kept.hasNext()) {
            Entry entry = kept.next();
            if (entry.lastUsed - cutoff < 0) {
                kept.remove();
                evict(entry);
                released++;
            }
        }
        return released;
    }

    private void evict(Entry entry) {
        bytes -= entry.bytes;
        entry.evicted = true;
        entry.releaseIfUnused();
    }

    /** Releases every kept photo no lease holds; the others when their last lease closes. */
    @Override
    public synchronized void close() {
        sweep.cancel(false);
        for (Map.Entry<String, Entry> kept : entries.entrySet()) {
            evict(kept.getValue());
        }
        entries.clear();
    }
}
