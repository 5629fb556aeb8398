package io.animegan.app.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** A local folder as a batch's input or output; writes replace files atomically. */
final class FolderLocation implements BatchLocation {

    private final Path dir;

    FolderLocation(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<String> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + " is not a folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    @Override
    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    @Override
    public byte[] readIfExists(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    public void write(String name, byte[] bytes, String contentType) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".partial-", ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    @Override
    public S3Location.Address s3Address() {
        return null;
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
