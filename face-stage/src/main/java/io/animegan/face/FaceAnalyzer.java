package io.animegan.face;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.face.align.AlignedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.NonMaxSuppression;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.EyeRegions;
import io.animegan.face.parse.FaceParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The face stage's work on one picture as a plain function over Mats, without storage: detect,
 * keep the faces worth enhancing, align each to the template, parse it, add eyes hidden by
 * glasses. {@link FaceProcessor} stores what this returns; tests and tools call it directly.
 *
 * <p>Not thread-safe (the detector and parser reuse their tensors).
 */
public final class FaceAnalyzer {

    /** Upper bound on enhanced faces per picture (the largest ones), to bound the work per record. */
    public static final int MAX_FACES = 48;
    /** A region counts as present with at least this many pixels in a 512 crop (scaled with the crop's area). */
    public static final int MIN_REGION_PIXELS = 40;
    /** Faces larger than this fraction of the picture's longer side are detected again, padded. */
    static final double LARGE_FACE_FRACTION = 0.4;
    /** Faces whose box comes this close (px) to the picture's edge count as cut by it. */
    static final int BORDER = 2;

    private final RetinaFaceDetector detector;
    private final FaceAligner aligner;
    private final FaceParser parser;

    public FaceAnalyzer(RetinaFaceDetector detector, FaceAligner aligner, FaceParser parser) {
        this.detector = detector;
        this.aligner = aligner;
        this.parser = parser;
    }

    /**
     * One analysed face, which owns its Mats: close it.
     *
     * @param labels label map at crop size, with eyes behind glasses added (see {@link EyeRegions})
     * @param regions the region groups present, background left out
     */
    public record AnalyzedFace(DetectedFace detected, AlignedFace aligned, Mat labels, List<String> regions)
            implements AutoCloseable {

        @Override
        public void close() {
            aligned.close();
            labels.release();
        }
    }

    /**
     * Faces left to right; faces narrower than the aligner's minimum, or than
     * {@link FaceTemplate#MIN_OUTPUT_WIDTH} in the output, are left out. Each face is
     * aligned to a crop of about its size in the output picture (see {@link FaceAligner#align(Mat,
     * DetectedFace, double)}). The caller owns the faces; if one fails, those analysed before it are
     * closed here.
     *
     * @param outputScale output pixels per source pixel
     */
    public List<AnalyzedFace> analyze(Mat picture, double outputScale) {
        List<DetectedFace> enhanced = detect(picture, detectionSide(picture, outputScale)).stream()
                .filter(aligner::largeEnough)
                .filter(face -> face.width() * outputScale >= FaceTemplate.MIN_OUTPUT_WIDTH)
                .sorted(Comparator.comparingDouble(DetectedFace::area).reversed())
                .limit(MAX_FACES)
                .sorted(Comparator.comparingDouble(DetectedFace::x1))
                .toList();
        List<AnalyzedFace> faces = new ArrayList<>(enhanced.size());
        try {
            for (DetectedFace face : enhanced) {
                faces.add(analyzeFace(picture, face, outputScale));
            }
            return faces;
        } catch (RuntimeException | Error e) {
            faces.forEach(AnalyzedFace::close);
            throw e;
        }
    }

    /**
     * All faces; faces that fill much of the picture or are cut by its border are found again in a
     * padded copy.
     *
     * <p>RetinaFace's largest anchors are 512 px of its (at most 840-px) input; a face filling more
     * than about half the picture is beyond them, and its box and landmarks come out too small and
     * misplaced (a 1600-px face in a 2000-px picture measured 1141 px, eyes off by a quarter of the
     * face). And the network places landmarks only inside its input: for a face cut by the border
     * they are squeezed in (the middle man of the group sample cut through his face: eye distance
     * 36 px instead of 55), which makes the aligned crop too tight. Padding the picture with black,
     * as upstream pads to a square, makes a large face smaller in the network's input and gives a
     * cut face room for its landmarks (46 px for the same face). Other faces keep their detections
     * from the unpadded picture, which sees them at a higher resolution.
     */
    public List<DetectedFace> detect(Mat picture) {
        return detect(picture, RetinaFaceDetector.MAX_INPUT_SIDE);
    }

    /**
     * The detector's input side for a picture: its size in the output, between the detector's
     * minimum and maximum input sides. A picture shrunk for a small output (a 512 px result of a
     * 1280 px photo) is searched at 640 instead of 840, 0.58 times the work, and every face still
     * worth enhancing ({@link FaceTemplate#MIN_OUTPUT_WIDTH} px or more in the output) is at least as
     * large in the network's input.
     */
    static int detectionSide(Mat picture, double outputScale) {
        long outputSide = Math.round(Math.max(picture.cols(), picture.rows()) * outputScale);
        return (int)
                Math.max(RetinaFaceDetector.MIN_INPUT_SIDE, Math.min(RetinaFaceDetector.MAX_INPUT_SIDE, outputSide));
    }

    /** {@link #detect(Mat)} with the detector's input at most {@code inputSide} px. */
    List<DetectedFace> detect(Mat picture, int inputSide) {
        List<DetectedFace> found = detector.detect(picture, inputSide);
        if (found.stream().noneMatch(face -> needsPadding(face, picture))) {
            return found;
        }
        List<DetectedFace> again = detectPadded(picture, inputSide);
        List<DetectedFace> faces = new ArrayList<>(found.size());
        for (DetectedFace face : found) {
            DetectedFace better = needsPadding(face, picture) ? bestMatch(face, again) : face;
            // Two poor detections of one large face both match the same better one: keep it once.
            if (!faces.contains(better)) {
                faces.add(better);
            }
        }
        return faces;
    }

    /**
     * Detection in the picture with black borders of half its longer side all round. The detector
     * would shrink that padded copy to its input size anyway, so the picture is shrunk first and
     * padded after: the same network input without a padded full-size copy (118 MB for a 4K photo).
     */
    private List<DetectedFace> detectPadded(Mat picture, int inputSide) {
        int longer = Math.max(picture.cols(), picture.rows());
        double shrink = Math.min(1.0, inputSide / (2.0 * longer));
        try (MatScope scope = new MatScope()) {
            Mat small = picture;
            if (shrink < 1) {
                small = scope.newMat();
                Imgproc.resize(
                        picture,
                        small,
                        new Size(
                                Math.max(1, Math.round(picture.cols() * shrink)),
                                Math.max(1, Math.round(picture.rows() * shrink))),
                        0,
                        0,
                        Imgproc.INTER_AREA);
            }
            int pad = Math.max(small.cols(), small.rows()) / 2;
            Mat padded = scope.newMat();
            Core.copyMakeBorder(
                    small, padded, pad, pad, pad, pad, Core.BORDER_CONSTANT | Core.BORDER_ISOLATED, Scalar.all(0));
            double backX = (double) picture.cols() / small.cols();
            double backY = (double) picture.rows() / small.rows();
            return detector.detect(padded, inputSide).stream()
                    .map(face -> mapped(face, -pad, backX, backY))
                    .toList();
        }
    }

    private static boolean needsPadding(DetectedFace face, Mat picture) {
        int side = Math.max(picture.cols(), picture.rows());
        boolean large = Math.max(face.width(), face.height()) > LARGE_FACE_FRACTION * side;
        boolean cut = face.x1() < BORDER
                || face.y1() < BORDER
                || face.x2() > picture.cols() - BORDER
                || face.y2() > picture.rows() - BORDER;
        return large || cut;
    }

    /** The padded pass's face that overlaps {@code face} most, or {@code face} itself if none does. */
    private static DetectedFace bestMatch(DetectedFace face, List<DetectedFace> candidates) {
        DetectedFace best = face;
        double bestOverlap = 0.3;
        for (DetectedFace candidate : candidates) {
            double overlap = NonMaxSuppression.iou(face, candidate);
            if (overlap > bestOverlap) {
                bestOverlap = overlap;
                best = candidate;
            }
        }
        return best;
    }

    /** A face found in a shifted and scaled copy, in the picture's pixels: {@code (p + shift) * scale}. */
    private static DetectedFace mapped(DetectedFace face, float shift, double scaleX, double scaleY) {
        float[] landmarks = face.landmarks();
        for (int i = 0; i < landmarks.length; i++) {
            landmarks[i] = (float) ((landmarks[i] + shift) * (i % 2 == 0 ? scaleX : scaleY));
        }
        return new DetectedFace(
                (float) ((face.x1() + shift) * scaleX),
                (float) ((face.y1() + shift) * scaleY),
                (float) ((face.x2() + shift) * scaleX),
                (float) ((face.y2() + shift) * scaleY),
                face.score(),
                landmarks);
    }

    /** One face, which the caller owns. */
    public AnalyzedFace analyzeFace(Mat picture, DetectedFace detected, double outputScale) {
        try (MatScope scope = new MatScope()) {
            AlignedFace aligned = aligner.align(picture, detected, outputScale);
            scope.own(aligned.crop());
            Mat labels = scope.own(parser.parse(aligned.crop()));
            int minPixels = minRegionPixels(labels.cols());
            EyeRegions.addEyesBehindGlasses(labels, detected.landmarks(), aligned.affine(), minPixels);
            AnalyzedFace face = new AnalyzedFace(detected, aligned, labels, regions(labels, minPixels));
            scope.detach(aligned.crop());
            scope.detach(labels);
            return face;
        }
    }

    /** {@link #MIN_REGION_PIXELS} in a crop of {@code cropSide} pixels. */
    public static int minRegionPixels(int cropSide) {
        return (int) Math.round(FaceTemplate.scaledArea(MIN_REGION_PIXELS, cropSide));
    }

    private static List<String> regions(Mat labels, int minPixels) {
        return FaceParser.regionsPresent(labels, minPixels).stream()
                .filter(region -> !region.equals(FaceRegion.Group.BACKGROUND.label()))
                .toList();
    }
}
