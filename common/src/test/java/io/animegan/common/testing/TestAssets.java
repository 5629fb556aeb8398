package io.animegan.common.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX models ({@code models/}) and sample photos ({@code samples/}) shipped in the repository.
 * Maven passes their folders as the system properties {@code animegan.models.dir} and
 * {@code animegan.samples.dir}; without them (a test started from an IDE) the folders are found by
 * walking up from the working directory to the project root. They are part of the repository, so a
 * missing file means a broken checkout: the test that needs it fails, naming the file.
 */
public final class TestAssets {

    private TestAssets() {}

    public static Path modelsDir() {
        return dir("animegan.models.dir", "models");
    }

    public static Path samplesDir() {
        return dir("animegan.samples.dir", "samples");
    }

    /** The models directory; fails the test when the named model is not in it. */
    public static Path requireModel(String fileName) {
        Path file = modelsDir().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            fail("model " + file + " not found: the repository's models/ folder is incomplete"
                    + " (check it with: cd models && sha256sum -c SHA256SUMS)");
        }
        return modelsDir();
    }

    /** The sample photo's path; fails the test when it is not in the samples folder. */
    public static Path requireSample(String fileName) {
        Path file = samplesDir().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            fail("sample photo " + file + " not found: the repository's samples/ folder is incomplete");
        }
        return file;
    }

    public static byte[] sampleBytes(String fileName) {
        try {
            return Files.readAllBytes(requireSample(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dir(String property, String name) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(name)) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve(name).normalize();
            }
        }
        return start.resolve(name);
    }
}
