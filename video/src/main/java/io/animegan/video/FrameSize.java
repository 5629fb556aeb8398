package io.animegan.video;

/** An output frame size: upright, even sides, long side at most a limit. */
public record FrameSize(int width, int height) {

    public static final int DEFAULT_LONG_SIDE = 1280;

    /**
     * A clip's preview's long side at most: a preview is a draft the player scales, and at this size
     * its Fast HD upsampling and H.264 encoding cost a quarter of what they cost at 1280.
     */
    public static final int PREVIEW_LONG_SIDE = 640;

    public FrameSize {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("frame size must be positive and even: " + width + "x" + height);
        }
    }

    /** The clip's display size scaled down (never up) to {@code maxLongSide}, rounded to even sides. */
    public static FrameSize of(VideoInfo info, int maxLongSide) {
        int w = info.displayWidth();
        int h = info.displayHeight();
        double f = Math.min(1.0, (double) maxLongSide / Math.max(w, h));
        return new FrameSize(even(w * f), even(h * f));
    }

    private static int even(double side) {
        return Math.max(2, (int) Math.round(side / 2) * 2);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
