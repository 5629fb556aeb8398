package io.animegan.stylize.video;

import io.animegan.common.storage.BlobStore;
import io.animegan.events.BlobRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Source clips fetched to local files, at most {@code maxClips} at a time: several segments of one
 * clip usually land on the same instance, and each would otherwise fetch the whole clip again. The
 * least recently used clip's file is deleted to make room.
 */
public final class ClipCache implements AutoCloseable {

    private final BlobStore store;
    private final Path dir;
    private final int maxClips;
    private final LinkedHashMap<String, Path> files = new LinkedHashMap<>(8, 0.75f, true);

    public ClipCache(BlobStore store, Path dir, int maxClips) {
        if (maxClips < 1) {
            throw new IllegalArgumentException("the cache holds at least one clip, not " + maxClips);
        }
        this.store = store;
        this.dir = dir;
        this.maxClips = maxClips;
    }

    /** The clip's local file, fetched unless it is already here. */
    public synchronized Path get(BlobRef ref) {
        String id = ref.getBucket() + "/" + ref.getKey();
        Path cached = files.get(id);
        if (cached != null && Files.isRegularFile(cached)) {
            return cached;
        }
        makeRoom();
        Path file = dir.resolve(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)) + ".clip");
        // Fetched beside, then moved: a fetch cut short never leaves a partial clip under the name.
        Path partial = dir.resolve(file.getFileName() + ".part");
        try {
            Files.createDirectories(dir);
            store.get(ref, partial);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + ref.getKey() + " in " + dir, e);
        } finally {
            delete(partial);
        }
        files.put(id, file);
        return file;
    }

    /** How many clips are kept now. */
    public synchronized int size() {
        return files.size();
    }

    private void makeRoom() {
        Iterator<Map.Entry<String, Path>> eldest = files.entrySet().iterator();
        while (files.size() >= maxClips && eldest.hasNext()) {
            Path file = eldest.next().getValue();
            eldest.remove();
            delete(file);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        files.values().forEach(ClipCache::delete);
        files.clear();
    }
}
