package io.animegan.video.stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A private temporary directory for one record's files, deleted with everything in it on close. */
public final class TempFiles implements AutoCloseable {

    private final Path dir;

    private TempFiles(Path dir) {
        this.dir = dir;
    }

    public static TempFiles in(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return new TempFiles(Files.createTempDirectory(parent, prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory in " + parent, e);
        }
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
