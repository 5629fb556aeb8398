package io.animegan.common.stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * An identity that one stage instance keeps across restarts: the first free slot
 * {@code instance-N} of its state directory, holding a random id made once. The slot is locked
 * while the instance runs (the lock dies with the process, even on {@code kill -9}), so two
 * instances sharing a state directory get different slots, and a restarted instance gets its
 * old one back.
 */
public final class InstanceIdentity implements AutoCloseable {

    private static final int MAX_SLOTS = 64;

    private final String id;
    private final FileLock lock;

    private InstanceIdentity(String id, FileLock lock) {
        this.id = id;
        this.lock = lock;
    }

    /** Claims the first slot of {@code dir} no running instance holds. */
    public static InstanceIdentity claim(Path dir) {
        try {
            Files.createDirectories(dir);
            for (int slot = 0; slot < MAX_SLOTS; slot++) {
                FileLock lock = tryLock(dir.resolve("instance-" + slot + ".lock"));
                if (lock != null) {
                    try {
                        return new InstanceIdentity(readOrCreateId(dir.resolve("instance-" + slot + ".id")), lock);
                    } catch (IOException | RuntimeException e) {
                        lock.channel().close();
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim an instance slot in " + dir, e);
        }
        throw new IllegalStateException("all " + MAX_SLOTS + " instance slots of " + dir + " are in use");
    }

    private static FileLock tryLock(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by another instance in this JVM
        }
        channel.close();
        return null;
    }

    private static String readOrCreateId(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    public String id() {
        return id;
    }

    @Override
    public void close() {
        try {
            lock.channel().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
