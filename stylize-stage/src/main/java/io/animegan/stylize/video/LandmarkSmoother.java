package io.animegan.stylize.video;

/**
 * Steadies one face's five landmarks over time, so that its aligned crop does not jitter: a
 * One-Euro filter (Casiez et al., 2012) on what the source's motion does not explain.
 *
 * <p>The smoothed points are first carried along with the source's motion ({@link #follow}), the
 * same motion that moves the tracked points, so a pan or a walk is followed without lag; what is
 * left between the tracked and the smoothed points is detection noise (each new detection lands a
 * little off) and flow drift, or a real move the flow missed. The filter blends the smoothed points
 * towards the tracked ones with a cutoff that rises with how fast that difference grows (its
 * filtered rate, in face sizes per frame): slow differences are noise and are smoothed strongly,
 * fast ones are a move and are followed. The face is filtered as a whole (one rate and one cutoff
 * for all points), so its shape never bends.
 *
 * <p>Frequencies are in cycles per frame: the filter runs once per frame whatever the clip's rate.
 */
final class LandmarkSmoother {

    /**
     * @param minCutoff cutoff when the face holds still relative to its motion (cycles per frame)
     * @param beta how much the cutoff rises per face size per frame of unexplained motion
     * @param rateCutoff cutoff of the filter on that rate (cycles per frame)
     */
    record Settings(double minCutoff, double beta, double rateCutoff) {
        static final Settings DEFAULT = new Settings(0.03, 2.0, 0.2);
    }

    /** Moves points of the previous frame to where they are in the current one, in place. */
    @FunctionalInterface
    interface PointMotion {
        void move(float[] points);
    }

    private final Settings settings;
    private float[] smoothed;
    private float[] previousRaw;
    private double rateX;
    private double rateY;

    LandmarkSmoother(Settings settings) {
        this.settings = settings;
    }

    /** Carries the smoothed points into the current frame with the source's motion. */
    void follow(PointMotion motion) {
        if (smoothed != null) {
            motion.move(smoothed);
            motion.move(previousRaw);
        }
    }

    /**
     * The smoothed points for this frame's tracked points {@code raw} ({@code x0, y0, ...}).
     *
     * @param faceSize the face's size in pixels (e.g. its eye distance), which makes the rate
     *     independent of how large the face is
     */
    float[] smooth(float[] raw, double faceSize) {
        if (smoothed == null) {
            smoothed = raw.clone();
            previousRaw = raw.clone();
            rateX = 0;
            rateY = 0;
            return smoothed.clone();
        }
        // The rate of the tracked points' unexplained motion: how far they moved since the last
        // frame beyond what the source's motion did, averaged over the face.
        double dx = meanDifference(raw, previousRaw, 0) / faceSize;
        double dy = meanDifference(raw, previousRaw, 1) / faceSize;
        double rateAlpha = alpha(settings.rateCutoff());
        rateX += rateAlpha * (dx - rateX);
        rateY += rateAlpha * (dy - rateY);
        double cutoff = settings.minCutoff() + settings.beta() * Math.hypot(rateX, rateY);
        double a = alpha(cutoff);
        for (int i = 0; i < raw.length; i++) {
            smoothed[i] += (float) (a * (raw[i] - smoothed[i]));
        }
        System.arraycopy(raw, 0, previousRaw, 0, raw.length);
        return smoothed.clone();
    }

    /** Forgets the past: the next points are taken as they are (a cut, a face found far from its track). */
    void reset() {
        smoothed = null;
        previousRaw = null;
    }

    /** The blend factor of an exponential filter with this cutoff, one sample per frame. */
    static double alpha(double cutoff) {
        double tau = 1 / (2 * Math.PI * cutoff);
        return 1 / (1 + tau);
    }

    private static double meanDifference(float[] a, float[] b, int offset) {
        double sum = 0;
        for (int i = offset; i < a.length; i += 2) {
            sum += a[i] - b[i];
        }
        return sum / (a.length / 2);
    }
}
