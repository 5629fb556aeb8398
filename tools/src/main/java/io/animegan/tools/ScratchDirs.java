package io.animegan.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The tools' scratch directories: a run's broker logs and objects are of no use once it is measured. */
public final class ScratchDirs {

    private ScratchDirs() {}

    /** Deletes {@code dir} and everything below it; a missing directory is already gone. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
