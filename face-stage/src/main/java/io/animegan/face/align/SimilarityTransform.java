package io.animegan.face.align;

/**
 * Least-squares similarity transforms (rotation, uniform scale, translation) between point sets,
 * as 2x3 row-major affine matrices {@code {a, b, c, d, e, f}}: {@code x' = a x + b y + c},
 * {@code y' = d x + e y + f}, the layout OpenCV's {@code warpAffine} takes.
 *
 * <p>facexlib fits with OpenCV's {@code estimateAffinePartial2D} and LMEDS; with only five
 * landmarks, a robust fit rests on a subset of them and can jump between nearby solutions from
 * one frame to the next. The closed-form least-squares fit over all five points is stable,
 * deterministic, and by its form {@code [[s cos, -s sin], [s sin, s cos]]} can never shear or
 * mirror (it is the 2-D case of Umeyama's method).
 */
public final class SimilarityTransform {

    private SimilarityTransform() {}

    /**
     * The similarity that maps {@code from} onto {@code to} with the least squared error.
     *
     * @param from points {@code x0, y0, x1, y1, ...}, e.g. detected landmarks in source pixels
     * @param to the same number of points, e.g. a template in crop pixels
     * @return the affine mapping {@code from} coordinates to {@code to} coordinates
     */
    public static double[] estimate(float[] from, float[] to) {
        if (from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("need two equal lists of at least two points");
        }
        int n = from.length / 2;
        double fromX = mean(from, 0);
        double fromY = mean(from, 1);
        double toX = mean(to, 0);
        double toY = mean(to, 1);
        // With centred points p -> q, the best q = [[a, -b], [b, a]] p has
        // a = sum(p.q) / sum(|p|^2) and b = sum(p x q) / sum(|p|^2).
        double dot = 0;
        double cross = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double px = from[2 * i] - fromX;
            double py = from[2 * i + 1] - fromY;
            double qx = to[2 * i] - toX;
            double qy = to[2 * i + 1] - toY;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("the source points all coincide");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new double[] {a, -b, toX - a * fromX + b * fromY, b, a, toY - b * fromX - a * fromY};
    }

    /** One point through the affine: {@code {x', y'}}. */
    public static double[] apply(double[] affine, double x, double y) {
        return new double[] {affine[0] * x + affine[1] * y + affine[2], affine[3] * x + affine[4] * y + affine[5]};
    }

    private static double mean(float[] points, int offset) {
        double sum = 0;
        for (int i = offset; i < points.length; i += 2) {
            sum += points[i];
        }
        return sum / (points.length / 2);
    }
}
