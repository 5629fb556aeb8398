package io.animegan.video;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.video.DISOpticalFlow;

/**
 * "Steady frames": blends each stylized frame with the previous output frame carried along by
 * the motion of the source, so that a generator's frame-to-frame flicker averages out while
 * motion stays sharp.
 *
 * <p>For source frame {@code S_t} and stylized frame {@code Y_t}:
 * <ol>
 *   <li>Flow with DIS on small grey source frames, backward ({@code S_t → S_{t-1}}) and forward
 *       ({@code S_{t-1} → S_t}); the backward flow, scaled up, warps the previous frames onto t.
 *       The forward flow only checks the backward one, so it stops a pyramid level coarser
 *       ({@link SourceMotion#checkForward()}) unless a stylizer has asked for the fine one.
 *   <li>Reliable where the forward-backward check holds ({@code |b(x) + f(x + b(x))|} small),
 *       where {@code x + b(x)} is inside the frame and where the warped previous source matches
 *       the current source; the mask is eroded, feathered and scaled to the frame.
 *   <li>The prediction is the previous output warped, corrected by most of what the warp gets
 *       wrong on the source itself: {@code P = W(O_{t-1}) + c (S_t − W(S_{t-1}))}, {@code c = 0.9},
 *       computed as {@code W(O_{t-1} − c S_{t-1}) + c S_t} (one warp).
 *       Interpolation blur then hardly accumulates (an identity stylizer's output stays within
 *       about 0.3 of 255 of its input) and lighting changes of the source pass through.
 *   <li>{@code O_t = (1 − w) Y_t + w P} with {@code w = weight × mask}.
 *   <li>At a scene cut (and the first frame) {@code O_t = Y_t}: nothing from the old scene.
 * </ol>
 * State: the previous output frame less {@code c} times its source frame (what the next
 * prediction warps), and the {@link SourceMotion} (small grey source frames and flows). A segment's
 * warm-up frames build it before its first own frame. Not thread-safe; one filter per segment.
 */
public final class TemporalFilter implements AutoCloseable {

    /**
     * @param weight blend weight of the prediction where reliable (0.6–0.8)
     * @param preset DIS preset
     * @param flowLongSide long side of the frames the flow is computed on
     * @param consistencyPixels forward-backward tolerance in flow pixels, plus {@code 5 %} of the flows' length
     * @param maxSourceError largest grey difference (0..255) between warped and current source still reliable
     * @param sourceCorrection share {@code c} of the source's own warp residual added to the prediction:
     *     1 makes an identity stylizer exact but carries the source's fine detail into a stylized
     *     frame; 0 is the classic blend, whose warp blur accumulates (an identity stylizer drifts by
     *     about 2 levels). Measured on a pan (w = 0.7): c = 0.9 keeps identity within 0.3 of 255 and
     *     damps animeganv3-cute-tiny's warp error to 0.67 (c = 1: 0.75, c = 0.8: 0.60 but identity 0.58).
     */
    public record Settings(
            double weight,
            int preset,
            int flowLongSide,
            double consistencyPixels,
            double maxSourceError,
            double sourceCorrection) {
        public static final Settings DEFAULT = new Settings(0.7, DISOpticalFlow.PRESET_MEDIUM, 320, 0.6, 24, 0.9);
    }

    private final Settings settings;
    private final SourceMotion motion;
    private final TrackedMats mats = new TrackedMats();
    private final Mat output = mats.newMat();
    private final Mat carried = mats.newMat();
    private final Mat smallMap = mats.newMat();
    private final Mat fullMap = mats.newMat();
    private final Mat mask = mats.newMat();
    private final Mat scratch = mats.newMat();
    private final Mat weights = mats.newMat();
    private final Mat rest = mats.newMat();
    private final Mat prediction = mats.newMat();
    private final Mat sourceFloat = mats.newMat();
    private final Mat stylizedFloat = mats.newMat();
    private final Mat blended = mats.newMat();
    private final Mat erodeKernel = mats.own(Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3)));
    private double lastReliable;

    public TemporalFilter(Settings settings) {
        this.settings = settings;
        this.motion = new SourceMotion(settings.preset(), settings.flowLongSide());
    }

    public TemporalFilter() {
        this(Settings.DEFAULT);
    }

    /**
     * The steadied frame for source {@code source} and its stylized frame {@code stylized} (same
     * size, 8-bit BGR). The result belongs to the filter and stays valid until the next call.
     */
    public Mat apply(Mat source, Mat stylized) {
        motion.next(source);
        return applyMoved(source, stylized);
    }

    /**
     * {@link #apply} for a source frame {@link #motion()} has already moved on to: a stylizer
     * that follows the source's motion (faces) reads it before the frame is filtered, and the
     * flows are computed once for both.
     */
    public Mat applyMoved(Mat source, Mat stylized) {
        source.convertTo(sourceFloat, CvType.CV_32FC3);
        if (motion.cut()) {
            stylized.copyTo(output);
            lastReliable = 0;
        } else {
            blend(source, stylized);
        }
        carry();
        return output;
    }

    /**
     * Keeps {@code O_t − c S_t} for the next frame: warping is linear, so the next prediction
     * {@code W(O_t) + c (S_{t+1} − W(S_t))} is {@code W(O_t − c S_t) + c S_{t+1}}, one warp instead of two.
     */
    private void carry() {
        output.convertTo(carried, CvType.CV_32FC3);
        Core.scaleAdd(sourceFloat, -settings.sourceCorrection(), carried, carried);
    }

    private void blend(Mat source, Mat stylized) {
        OpticalFlow flow = motion.flow();
        Mat grey = motion.grey();
        Mat greyPrevious = motion.greyPrevious();
        Mat backward = motion.backward();
        flow.map(backward, smallMap);
        flow.consistent(backward, motion.checkForward(), smallMap, settings.consistencyPixels(), 0.05, mask);
        // The source itself must match after warping (occlusions, lighting, flow failures).
        OpticalFlow.warp(greyPrevious, smallMap, scratch);
        Core.absdiff(scratch, grey, scratch);
        Core.compare(scratch, new Scalar(settings.maxSourceError()), scratch, Core.CMP_LE);
        Core.bitwise_and(mask, scratch, mask);
        lastReliable = Core.countNonZero(mask) / (double) mask.total();
        Imgproc.erode(mask, mask, erodeKernel);
        mask.convertTo(weights, CvType.CV_32F, settings.weight() / 255.0);
        Imgproc.GaussianBlur(weights, weights, new Size(5, 5), 0);
        Size size = source.size();
        if (!weights.size().equals(size)) {
            Imgproc.resize(weights, weights, size, 0, 0, Imgproc.INTER_LINEAR);
        }
        weights.convertTo(rest, CvType.CV_32F, -1.0, 1.0);
        flow.fullMap(backward, size, fullMap);
        // Bilinear: the source correction takes out most of its softening (the previous source is
        // carried the same way), at about a quarter of bicubic's cost.
        // P = W(O_{t-1} − c S_{t-1}) + c S_t, in float (the carried difference is signed).
        OpticalFlow.warpLinear(carried, fullMap, prediction);
        Core.scaleAdd(sourceFloat, settings.sourceCorrection(), prediction, prediction);
        stylized.convertTo(stylizedFloat, CvType.CV_32FC3);
        Imgproc.blendLinear(prediction, stylizedFloat, weights, rest, blended);
        blended.convertTo(output, CvType.CV_8UC3);
    }

    /** Forgets the state: the next frame is taken as it is (as after a cut). */
    public void reset() {
        motion.reset();
    }

    /** Whether the last frame was taken as it is (first frame or scene cut). */
    public boolean lastWasCut() {
        return motion.cut();
    }

    /** Share of the last frame's pixels that passed the reliability checks (0 after a cut). */
    public double lastReliableShare() {
        return lastReliable;
    }

    public SceneCutDetector cuts() {
        return motion.cuts();
    }

    /** The source's motion this filter follows; one per filter. */
    public SourceMotion motion() {
        return motion;
    }

    @Override
    public void close() {
        mats.close();
        motion.close();
    }
}
