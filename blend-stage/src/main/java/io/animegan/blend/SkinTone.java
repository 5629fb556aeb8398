package io.animegan.blend;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.imgproc.Imgproc;

/**
 * Keeps every pasted face in the colours of the stylized picture around it.
 *
 * <p>The generator shades a 512 face crop differently from the same face at its size in the
 * whole picture (it sees more skin and less context), and the per-region mix brings in photo
 * colours; pasted as they are, faces come out greyer, more orange or lighter than their necks
 * and hands, each differently. So before pasting, the face crop's colours are moved by one linear
 * map per Lab channel so that the mean and spread of its skin equal those of the full-picture
 * stylization's skin at the same place (Reinhard-style colour transfer, restricted to skin so
 * hair and background don't pull the statistics).
 */
public final class SkinTone {

    /** Fewer skin pixels than this (in the crop) give no reliable statistics: the face is left as is. */
    static final int MIN_PIXELS = 400;
    /** The spread is matched only within these bounds, so a flat or noisy reference can't blow up contrast. */
    static final double MIN_SPREAD_RATIO = 0.7;

    static final double MAX_SPREAD_RATIO = 1.4;

    static {
        OpenCv.load();
    }

    private SkinTone() {}

    /**
     * @param face 8-bit BGR crop, recoloured in place
     * @param reference 8-bit BGR, the stylized picture warped into the crop's frame
     * @param skin 0/255 CV_8UC1: skin pixels that are valid in both
     * @return false if there was too little skin to match
     */
    public static boolean match(Mat face, Mat reference, Mat skin) {
        if (Core.countNonZero(skin) < MIN_PIXELS) {
            return false;
        }
        try (MatScope scope = new MatScope()) {
            Mat faceLab = scope.own(lab(face));
            Mat referenceLab = scope.own(lab(reference));
            double[][] from = meanStd(faceLab, skin);
            double[][] to = meanStd(referenceLab, skin);
            List<Mat> channels = new ArrayList<>(3);
            Core.split(faceLab, channels);
            channels.forEach(scope::own);
            for (int c = 0; c < 3; c++) {
                double ratio = from[1][c] > 1e-6 ? to[1][c] / from[1][c] : 1;
                ratio = Math.max(MIN_SPREAD_RATIO, Math.min(MAX_SPREAD_RATIO, ratio));
                channels.get(c).convertTo(channels.get(c), -1, ratio, to[0][c] - ratio * from[0][c]);
            }
            Core.merge(channels, faceLab);
            Imgproc.cvtColor(faceLab, faceLab, Imgproc.COLOR_Lab2BGR);
            faceLab.convertTo(face, CvType.CV_8UC3, 255);
            return true;
        }
    }

    /** Float Lab (L 0..100, a and b about -128..127), the space where CIE76 distances are ΔE; a new Mat. */
    public static Mat lab(Mat bgr) {
        try (MatScope scope = new MatScope()) {
            Mat floats = scope.newMat();
            bgr.convertTo(floats, CvType.CV_32FC3, 1 / 255.0);
            Imgproc.cvtColor(floats, floats, Imgproc.COLOR_BGR2Lab);
            return scope.detach(floats);
        }
    }

    /** {@code {mean[3], std[3]}} over the mask. */
    public static double[][] meanStd(Mat image, Mat mask) {
        try (MatScope scope = new MatScope()) {
            MatOfDouble mean = scope.own(new MatOfDouble());
            MatOfDouble std = scope.own(new MatOfDouble());
            Core.meanStdDev(image, mean, std, mask);
            return new double[][] {mean.toArray(), std.toArray()};
        }
    }
}
