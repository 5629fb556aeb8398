package io.animegan.common.config;

/** What one request may ask for, shared by ingest (which refuses more) and the stages. */
public final class Limits {

    public static final int MIN_OUTPUT_SIDE = 64;
    /**
     * Longest output side (4K). The generator's activations grow with the pixel count (one int8
     * generator call peaked at 9.8 GB at 3840x2160), so large pictures are drawn in tiles of a
     * bounded size (PipelineConfig.tilePixels).
     */
    public static final int MAX_OUTPUT_SIDE = 4096;

    private Limits() {}
}
