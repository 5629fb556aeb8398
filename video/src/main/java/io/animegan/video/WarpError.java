package io.animegan.video;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.opencv.video.DISOpticalFlow;

/**
 * The temporal warp error of a frame pair: output frame t+1 warped onto frame t with the flow of
 * the <em>source</em> frames, then the mean squared difference (8-bit levels², all channels)
 * over the pixels the forward-backward check calls visible. Lower is steadier; compare two
 * outputs of the same source (the flow and the mask depend on the source only).
 *
 * <p>Use: {@link #source(Mat, Mat)} once per pair, then {@link #error(Mat, Mat)} for each output.
 */
public final class WarpError implements AutoCloseable {

    private final OpticalFlow flow;
    private final TrackedMats mats = new TrackedMats();
    private final Mat greyA = mats.newMat();
    private final Mat greyB = mats.newMat();
    private final Mat ab = mats.newMat();
    private final Mat ba = mats.newMat();
    private final Mat map = mats.newMat();
    private final Mat fullMap = mats.newMat();
    private final Mat visible = mats.newMat();
    private final Mat fullVisible = mats.newMat();
    private final Mat warped = mats.newMat();
    private final Mat difference = mats.newMat();
    private final Mat floatA = mats.newMat();

    /** Flow at up to {@code flowLongSide} (the frames' own size when smaller), DIS MEDIUM. */
    public WarpError(int flowLongSide) {
        this.flow = new OpticalFlow(DISOpticalFlow.PRESET_MEDIUM, flowLongSide);
    }

    /** Prepares the flow from source frame t to t+1 and the visibility mask. */
    public void source(Mat sourceT, Mat sourceNext) {
        flow.small(sourceT, greyA);
        flow.small(sourceNext, greyB);
        flow.flow(greyA, greyB, ab);
        flow.flow(greyB, greyA, ba);
        flow.map(ab, map);
        flow.consistent(ab, ba, map, 0.6, 0.05, visible);
        flow.fullMap(ab, sourceT.size(), fullMap);
        if (visible.size().equals(sourceT.size())) {
            visible.copyTo(fullVisible);
        } else {
            Imgproc.resize(visible, fullVisible, sourceT.size(), 0, 0, Imgproc.INTER_NEAREST);
        }
    }

    /** Share of pixels visible in the last prepared pair. */
    public double visibleShare() {
        return Core.countNonZero(fullVisible) / (double) fullVisible.total();
    }

    /** Mean squared difference between output t and output t+1 warped onto t, over visible pixels. */
    public double error(Mat outputT, Mat outputNext) {
        OpticalFlow.warp(outputNext, fullMap, warped);
        outputT.convertTo(floatA, CvType.CV_32FC3);
        warped.convertTo(difference, CvType.CV_32FC3);
        Core.subtract(difference, floatA, difference);
        Core.multiply(difference, difference, difference);
        if (Core.countNonZero(fullVisible) == 0) {
            return 0;
        }
        double[] means = Core.mean(difference, fullVisible).val;
        return (means[0] + means[1] + means[2]) / 3.0;
    }

    @Override
    public void close() {
        mats.close();
        flow.close();
    }
}
