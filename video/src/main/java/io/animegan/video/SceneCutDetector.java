package io.animegan.video;

import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.imgproc.Imgproc;

/**
 * A cheap scene-cut test on two consecutive small grey source frames: a cut when the grey
 * histograms differ (Bhattacharyya distance) or the frames differ on average by a lot.
 * A flash frame counts as a cut on both sides, which is what the filter wants (nothing blended
 * into or out of it).
 */
public final class SceneCutDetector implements AutoCloseable {

    private final double maxMeanDifference;
    private final double maxHistogramDistance;
    private final TrackedMats mats = new TrackedMats();
    private final Mat histA = mats.newMat();
    private final Mat histB = mats.newMat();
    private final Mat none = mats.newMat();
    private final MatOfInt channel = mats.own(new MatOfInt(0));
    private final MatOfInt bins = mats.own(new MatOfInt(32));
    private final MatOfFloat range = mats.own(new MatOfFloat(0, 256));
    private double lastMeanDifference;
    private double lastHistogramDistance;

    /**
     * @param maxMeanDifference mean absolute grey difference (0..255) above which frames are a cut
     * @param maxHistogramDistance Bhattacharyya distance (0..1) of 32-bin grey histograms above which they are a cut
     */
    public SceneCutDetector(double maxMeanDifference, double maxHistogramDistance) {
        this.maxMeanDifference = maxMeanDifference;
        this.maxHistogramDistance = maxHistogramDistance;
    }

    public SceneCutDetector() {
        this(40, 0.45);
    }

    public boolean isCut(Mat previousGrey, Mat grey) {
        lastMeanDifference = Core.norm(previousGrey, grey, Core.NORM_L1) / grey.total();
        Imgproc.calcHist(List.of(previousGrey), channel, none, histA, bins, range);
        Imgproc.calcHist(List.of(grey), channel, none, histB, bins, range);
        lastHistogramDistance = Imgproc.compareHist(histA, histB, Imgproc.HISTCMP_BHATTACHARYYA);
        return lastMeanDifference > maxMeanDifference || lastHistogramDistance > maxHistogramDistance;
    }

    public double lastMeanDifference() {
        return lastMeanDifference;
    }

    public double lastHistogramDistance() {
        return lastHistogramDistance;
    }

    @Override
    public void close() {
        mats.close();
    }
}
