package io.animegan.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How this ingest instance listens and what it accepts.
 *
 * @param port HTTP port; 0 picks any free port (see {@link IngestServer#port()})
 * @param maxUploadBytes largest accepted file, in bytes; a larger one is refused with 413
 * @param examplesDir photos the web page offers as examples; null for none
 */
public record IngestSettings(int port, long maxUploadBytes, Path examplesDir) {

  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1024 * 1024;

  public IngestSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, not " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("maxUploadBytes must be positive, not " + maxUploadBytes);
    }
  }

  /** Examples folder used when none is configured and it exists: the sample photos beside the project. */
  public static final Path DEFAULT_EXAMPLES_DIR = Path.of("..", "shared", "samples");

  public IngestSettings(int port, long maxUploadBytes) {
    this(port, maxUploadBytes, null);
  }

  public static IngestSettings defaults() {
    return new IngestSettings(DEFAULT_PORT, DEFAULT_MAX_UPLOAD_BYTES,
        Files.isDirectory(DEFAULT_EXAMPLES_DIR) ? DEFAULT_EXAMPLES_DIR : null);
  }

  public IngestSettings withPort(int newPort) {
    return new IngestSettings(newPort, maxUploadBytes, examplesDir);
  }

  public IngestSettings withMaxUploadBytes(long bytes) {
    return new IngestSettings(port, bytes, examplesDir);
  }

  public IngestSettings withExamplesDir(Path dir) {
    return new IngestSettings(port, maxUploadBytes, dir);
  }
}
