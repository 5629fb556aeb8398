package io.animegan.common.config;

/** Topic names and sizing. Every stage and ingest reads the same record, so names live in one place. */
public record Topics(
    String submitted,
    String facesDetected,
    String stylized,
    String completed,
    String failed,
    int partitions,
    short replicationFactor) {

  public static final String DEFAULT_PREFIX = "animegan.images.";

  public static Topics withPrefix(String prefix, int partitions, short replicationFactor) {
    return new Topics(
        prefix + "submitted",
        prefix + "faces",
        prefix + "stylized",
        prefix + "completed",
        prefix + "failed",
        partitions,
        replicationFactor);
  }

  public static Topics defaults() {
    return withPrefix(DEFAULT_PREFIX, 6, (short) 1);
  }

  public java.util.List<String> all() {
    return java.util.List.of(submitted, facesDetected, stylized, completed, failed);
  }
}
