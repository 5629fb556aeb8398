package io.animegan.stylize.video;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.face.align.AlignedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.align.SimilarityTransform;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.video.FrameStylizer;
import io.animegan.video.SourceMotion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * Faces in a clip ({@code faces=true}), drawn as in pictures and steady over time. For each frame:
 * <ol>
 *   <li>the whole frame in the style;
 *   <li>its faces: detected every few frames and at cuts, followed with the source's flow in
 *       between, smoothed ({@link FaceTracker});
 *   <li>each face aligned on the picture path's template, at a crop size chosen when its track
 *       starts (a size that changed with every small zoom would change the generator's drawing);
 *   <li>the crop drawn in the style;
 *   <li>pasted back by the inverse affine with a soft mask ({@link CropPaste}).
 * </ol>
 * Face parsing and per-region mixing are left out: the parser would be a second network per face
 * and per frame, and the elliptic mask needs no labels, since the crop and the frame come from the
 * same generator and agree in colour.
 *
 * <p>Not thread-safe; one per segment, fed every frame in order.
 */
public final class FaceTrackStylizer implements FrameStylizer, AutoCloseable {

    private static final FaceTemplate TEMPLATE = FaceTemplate.FFHQ_512;

    private final FrameStylizer frames;
    private final FrameStylizer crops;
    private final FaceTracker tracker;
    private final Runnable release;
    private final Map<Integer, Integer> cropSides = new HashMap<>();
    private final Map<Integer, FaceAligner> aligners = new HashMap<>();
    private final Map<Integer, Mat> masks = new HashMap<>();
    private int faces;

    /**
     * @param frames draws a whole frame
     * @param crops draws an aligned face crop (as the picture path draws its crops)
     * @param release frees what the tracker's detector holds, on {@link #close()}
     */
    FaceTrackStylizer(FrameStylizer frames, FrameStylizer crops, FaceTracker tracker, Runnable release) {
        this.frames = frames;
        this.crops = crops;
        this.tracker = tracker;
        this.release = release;
    }

    /** Faces found by RetinaFace with {@code detectorModel} (the caller's, which it closes). */
    static FaceTrackStylizer withDetector(
            OnnxModel detectorModel, FrameStylizer frames, FrameStylizer crops, FaceTracker.Settings settings) {
        RetinaFaceDetector detector = new RetinaFaceDetector(detectorModel);
        return new FaceTrackStylizer(frames, crops, new FaceTracker(detector::detect, settings), detector::close);
    }

    /** A frame on its own: its faces detected afresh, nothing followed or smoothed. */
    @Override
    public Mat stylize(Mat bgr) {
        return stylize(bgr, null);
    }

    @Override
    public Mat stylize(Mat bgr, SourceMotion motion) {
        try (MatScope scope = new MatScope()) {
            Mat picture = scope.own(frames.stylize(bgr));
            List<FaceTracker.TrackedFace> tracked = tracker.update(bgr, motion);
            forgetEnded(tracked);
            for (FaceTracker.TrackedFace face : tracked) {
                drawFace(bgr, picture, face);
            }
            return scope.detach(picture);
        }
    }

    /** Aligns one face, draws its crop and pastes it into {@code picture}. */
    private void drawFace(Mat bgr, Mat picture, FaceTracker.TrackedFace tracked) {
        int side = cropSides.computeIfAbsent(tracked.id(), id -> cropSide(tracked.face()));
        FaceAligner aligner = aligners.computeIfAbsent(
                side, s -> new FaceAligner(TEMPLATE.scaledTo(s), FaceAligner.DEFAULT_MIN_FACE_WIDTH));
        if (!aligner.largeEnough(tracked.face())) {
            return;
        }
        try (AlignedFace aligned = aligner.align(bgr, tracked.face());
                MatScope scope = new MatScope()) {
            Mat drawn = scope.own(crops.stylize(aligned.crop()));
            CropPaste.paste(picture, drawn, mask(side), aligned.affine());
            faces++;
        }
    }

    /**
     * The crop side for a face, about its own size in the frame (as for pictures, see
     * {@link FaceTemplate#cropSizeFor}): faces are drawn at their size in the frame the generator draws (with Fast HD, the small one).
     */
    static int cropSide(DetectedFace face) {
        double[] toCrop = SimilarityTransform.estimate(face.landmarks(), TEMPLATE.points());
        return FaceTemplate.cropSizeFor(TEMPLATE.size() / Math.hypot(toCrop[0], toCrop[3]));
    }

    private Mat mask(int side) {
        return masks.computeIfAbsent(side, s -> CropPaste.softMask(TEMPLATE, s));
    }

    /** Crop sides belong to tracks: a face found again after its track ended gets a side anew. */
    private void forgetEnded(List<FaceTracker.TrackedFace> tracked) {
        cropSides
                .keySet()
                .retainAll(tracked.stream().map(FaceTracker.TrackedFace::id).toList());
    }

    /** Faces drawn so far (all frames, warm-up frames included). */
    public int facesDrawn() {
        return faces;
    }

    @Override
    public void close() {
        masks.values().forEach(Mat::release);
        masks.clear();
        release.run();
    }
}
