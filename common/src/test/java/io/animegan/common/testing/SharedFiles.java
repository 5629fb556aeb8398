package io.animegan.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real models and sample photos in {@code ../shared} beside the project root. Tests that need
 * them are skipped, with the reason shown in the test report, where they are not present.
 */
public final class SharedFiles {

  private SharedFiles() {}

  public static Path sharedDir() {
    String configured = System.getProperty("animegan.shared.dir");
    return (configured != null ? Path.of(configured) : Path.of("..", "..", "shared")).toAbsolutePath().normalize();
  }

  public static Path modelsDir() {
    return sharedDir().resolve("models");
  }

  /** The models directory, or the test is skipped if the named model is not there. */
  public static Path requireModel(String fileName) {
    Path file = modelsDir().resolve(fileName);
    assumeTrue(Files.isRegularFile(file), () -> "skipped: model " + file + " not found (tests need ../shared/models beside the project)");
    return modelsDir();
  }

  public static Path requireSample(String fileName) {
    Path file = sharedDir().resolve("samples").resolve(fileName);
    assumeTrue(Files.isRegularFile(file), () -> "skipped: sample photo " + file + " not found (tests need ../shared/samples)");
    return file;
  }

  public static byte[] sampleBytes(String fileName) {
    try {
      return Files.readAllBytes(requireSample(fileName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
