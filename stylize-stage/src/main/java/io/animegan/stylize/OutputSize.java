package io.animegan.stylize;

/**
 * The size the whole picture is stylized at: the long side at most the requested maximum (never
 * enlarged), both sides a multiple of 8 so the generator's output has exactly the input's size.
 */
public record OutputSize(int width, int height) {

    static final int MULTIPLE = 8;

    public static OutputSize fit(int width, int height, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(width, height));
        return new OutputSize(roundToMultiple(width * scale, maxSide), roundToMultiple(height * scale, maxSide));
    }

    /** The nearest multiple of 8, or the one below where the nearest would pass {@code maxSide}. */
    private static int roundToMultiple(double side, int maxSide) {
        int nearest = (int) Math.round(side / MULTIPLE) * MULTIPLE;
        int within = nearest > maxSide ? maxSide / MULTIPLE * MULTIPLE : nearest;
        return Math.max(MULTIPLE, within);
    }
}
