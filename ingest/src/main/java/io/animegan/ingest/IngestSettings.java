package io.animegan.ingest;

import io.animegan.ingest.status.StatusSettings;

/**
 * How this ingest instance listens and what it accepts.
 *
 * @param port HTTP port; 0 picks any free port (see {@link IngestServer#port()})
 * @param maxUploadBytes largest accepted file, in bytes; a larger one is refused with 413
 * @param status retention, cleanup and the host advertised to other instances
 */
public record IngestSettings(int port, long maxUploadBytes, StatusSettings status) {

  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1024 * 1024;

  public IngestSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, not " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("maxUploadBytes must be positive, not " + maxUploadBytes);
    }
    if (status == null) {
      status = StatusSettings.defaults();
    }
  }

  public IngestSettings(int port, long maxUploadBytes) {
    this(port, maxUploadBytes, StatusSettings.defaults());
  }

  public static IngestSettings defaults() {
    return new IngestSettings(DEFAULT_PORT, DEFAULT_MAX_UPLOAD_BYTES);
  }

  public IngestSettings withPort(int newPort) {
    return new IngestSettings(newPort, maxUploadBytes, status);
  }

  public IngestSettings withMaxUploadBytes(long bytes) {
    return new IngestSettings(port, bytes, status);
  }

  public IngestSettings withStatus(StatusSettings newStatus) {
    return new IngestSettings(port, maxUploadBytes, newStatus);
  }
}
