package io.animegan.common.config;

/** What one request may ask for, shared by ingest (which refuses more) and the stages. */
public final class Limits {

  public static final int MIN_OUTPUT_SIDE = 64;
  /**
   * Longest output side. The generator's activations grow with the pixel count: measured peak
   * resident memory of one int8 generator call was 2.6 GB at 1920x1080 and 9.8 GB at 3840x2160.
   * 2560 (1440p) keeps a stage process within about 5 GB.
   */
  public static final int MAX_OUTPUT_SIDE = 2560;

  private Limits() {}
}
