package io.animegan.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the tests find the repository's sample photos and models: {@code <repo>/samples} (or the
 * {@code animegan.samples.dir} property) first, then the shared checkout's {@code ../shared/samples};
 * a clear failure when neither exists.
 */
final class TestFiles {

  private TestFiles() {}

  static Path samplesDir() {
    return find("samples", "animegan.samples.dir");
  }

  static Path modelsDir() {
    return find("models", "animegan.models.dir");
  }

  static Path sample(String name) {
    Path file = samplesDir().resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("sample photo " + name + " is not in " + samplesDir());
    }
    return file;
  }

  private static Path find(String name, String property) {
    List<Path> tried = new ArrayList<>();
    String configured = System.getProperty(property);
    if (configured != null && !configured.isBlank()) {
      tried.add(Path.of(configured));
    }
    // Surefire runs in the module directory: the repository is its parent.
    Path repo = Path.of("").toAbsolutePath().getParent();
    tried.add(repo.resolve(name));
    tried.add(repo.resolve("../shared").resolve(name).normalize());
    tried.add(repo.resolve("../../shared").resolve(name).normalize());
    for (Path candidate : tried) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no " + name + " directory: looked in " + tried
        + " (set -D" + property + "=... to point at it)");
  }
}
