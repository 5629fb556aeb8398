package io.animegan.video;

import io.animegan.common.image.OpenCv;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.video.DISOpticalFlow;

/**
 * Dense optical flow with OpenCV's DIS on small grey frames, and what the filter and the metrics
 * do with it: sampling maps, forward-backward consistency, warping full-size frames with the
 * flow scaled up.
 *
 * <p>Conventions: {@code flow(a, b)} is the flow from {@code a} to {@code b}: {@code a(x) ≈
 * b(x + flow(x))}. A map made from it ({@link #map}) samples {@code b} at {@code x + flow(x)}, so
 * {@code remap(b, map)} is {@code b} warped onto {@code a}.
 */
public final class OpticalFlow implements AutoCloseable {

    static {
        OpenCv.load();
    }

    private final DISOpticalFlow dis;
    private final DISOpticalFlow coarse;
    private final int longSide;
    private final TrackedMats mats = new TrackedMats();
    private final Mat grey = mats.newMat();
    private final Mat smallGrid = mats.newMat();
    private final Mat fullGrid = mats.newMat();
    private final Mat scratch = mats.newMat();
    private final Mat magnitude = mats.newMat();
    private final Mat bound = mats.newMat();
    private final Mat[] channels = {mats.newMat(), mats.newMat()};
    private final Mat[] other = {mats.newMat(), mats.newMat()};
    private static final Mat NONE = new Mat();

    /**
     * @param preset {@link DISOpticalFlow#PRESET_FAST} or {@link DISOpticalFlow#PRESET_MEDIUM}
     * @param longSide the flow is computed with the frame's long side scaled down to this (never up)
     */
    public OpticalFlow(int preset, int longSide) {
        this.dis = DISOpticalFlow.create(preset);
        this.coarse = DISOpticalFlow.create(preset);
        coarse.setFinestScale(dis.getFinestScale() + 1);
        this.longSide = longSide;
    }

    /** Size of the flow for frames of {@code size}. */
    public Size flowSize(Size size) {
        double f = Math.min(1.0, longSide / Math.max(size.width, size.height));
        return new Size(Math.max(8, Math.round(size.width * f)), Math.max(8, Math.round(size.height * f)));
    }

    /** {@code bgr} as the small grey frame the flow is computed on. */
    public void small(Mat bgr, Mat out) {
        Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
        Size size = flowSize(bgr.size());
        if (size.width == bgr.cols() && size.height == bgr.rows()) {
            grey.copyTo(out);
        } else {
            Imgproc.resize(grey, out, size, 0, 0, Imgproc.INTER_AREA);
        }
    }

    /** The flow from small grey {@code a} to small grey {@code b} (CV_32FC2). */
    public void flow(Mat a, Mat b, Mat flow) {
        dis.calc(a, b, flow);
    }

    /**
     * As {@link #flow}, its finest scale one pyramid level coarser: at about a third of the cost, good
     * enough to check a {@link #flow} against ({@link #consistent}).
     */
    public void coarseFlow(Mat a, Mat b, Mat flow) {
        coarse.calc(a, b, flow);
    }

    /** {@code map = grid + flow}: sampling positions for {@code remap}. */
    public void map(Mat flow, Mat map) {
        Core.add(grid(flow.size(), smallGrid), flow, map);
    }

    /** A sampling map for a full-size frame of {@code size} from a small flow, scaled up. */
    public void fullMap(Mat smallFlow, Size size, Mat map) {
        if (size.equals(smallFlow.size())) {
            map(smallFlow, map);
            return;
        }
        Imgproc.resize(smallFlow, scratch, size, 0, 0, Imgproc.INTER_LINEAR);
        Core.multiply(scratch, new Scalar(size.width / smallFlow.cols(), size.height / smallFlow.rows()), scratch);
        Core.add(grid(size, fullGrid), scratch, map);
    }

    /**
     * Where the flow from a to b is trustworthy (8-bit, 255 = yes): inside the frame and
     * forward-backward consistent, {@code |ab(x) + ba(x + ab(x))| <= absolute + relative * (|ab(x)| + |ba(...)|)}.
     *
     * @param ab flow from a to b
     * @param ba flow from b to a
     * @param abMap {@link #map} of {@code ab}
     */
    public void consistent(Mat ab, Mat ba, Mat abMap, double absolute, double relative, Mat mask) {
        // ba sampled where ab points; outside the frame it reads a huge flow and fails.
        Imgproc.remap(ba, scratch, abMap, NONE, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(1e4, 1e4));
        Core.extractChannel(scratch, other[0], 0);
        Core.extractChannel(scratch, other[1], 1);
        Core.magnitude(other[0], other[1], bound);
        Core.extractChannel(ab, channels[0], 0);
        Core.extractChannel(ab, channels[1], 1);
        Core.magnitude(channels[0], channels[1], magnitude);
        Core.add(bound, magnitude, bound);
        Core.multiply(bound, new Scalar(relative), bound);
        Core.add(bound, new Scalar(absolute), bound);
        Core.add(channels[0], other[0], channels[0]);
        Core.add(channels[1], other[1], channels[1]);
        Core.magnitude(channels[0], channels[1], magnitude);
        Core.compare(magnitude, bound, mask, Core.CMP_LE);
        // Inside the frame: positions in [0, w-1] x [0, h-1].
        Core.extractChannel(abMap, channels[0], 0);
        Core.extractChannel(abMap, channels[1], 1);
        Core.inRange(channels[0], new Scalar(0), new Scalar(abMap.cols() - 1), scratch);
        Core.bitwise_and(mask, scratch, mask);
        Core.inRange(channels[1], new Scalar(0), new Scalar(abMap.rows() - 1), scratch);
        Core.bitwise_and(mask, scratch, mask);
    }

    /** {@code b} warped onto a's frame with a (full-size) map from {@link #fullMap}. */
    public static void warp(Mat b, Mat map, Mat out) {
        Imgproc.remap(b, out, map, NONE, Imgproc.INTER_CUBIC, Core.BORDER_REPLICATE);
    }

    /** As {@link #warp}, with bilinear interpolation: cheaper, slightly softer. */
    public static void warpLinear(Mat b, Mat map, Mat out) {
        Imgproc.remap(b, out, map, NONE, Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
    }

    private static Mat grid(Size size, Mat grid) {
        if (grid.size().equals(size) && grid.type() == CvType.CV_32FC2) {
            return grid;
        }
        int w = (int) size.width;
        int h = (int) size.height;
        float[] xs = new float[w];
        for (int x = 0; x < w; x++) {
            xs[x] = x;
        }
        float[] ys = new float[h];
        for (int y = 0; y < h; y++) {
            ys[y] = y;
        }
        try (TrackedMats temp = new TrackedMats()) {
            Mat row = temp.own(new Mat(1, w, CvType.CV_32F));
            row.put(0, 0, xs);
            Mat column = temp.own(new Mat(h, 1, CvType.CV_32F));
            column.put(0, 0, ys);
            Mat gx = temp.newMat();
            Mat gy = temp.newMat();
            Core.repeat(row, h, 1, gx);
            Core.repeat(column, 1, w, gy);
            Core.merge(List.of(gx, gy), grid);
        }
        return grid;
    }

    @Override
    public void close() {
        mats.close();
    }
}
