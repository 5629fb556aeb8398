package io.animegan.face;

import io.animegan.common.image.MatScope;
import io.animegan.face.align.AlignedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.NonMaxSuppression;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.EyeRegions;
import io.animegan.face.parse.FaceParser;
import io.animegan.common.face.FaceRegion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The face stage's work on one picture as a plain function over Mats, without storage: detect,
 * keep the faces worth enhancing, align each to the template, parse it, add eyes hidden by
 * glasses. {@link FaceStage} stores what this returns; tests and tools call it directly.
 *
 * <p>Not thread-safe (the detector and parser reuse their tensors).
 */
public final class FaceAnalyzer {

  /** Upper bound on enhanced faces per picture (the largest ones), to bound the work per record. */
  public static final int MAX_FACES = 48;
  /** A region counts as present with at least this many pixels in the 512 crop. */
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
   * Faces left to right; faces narrower than the aligner's minimum are left out. The caller owns
   * the faces; if one fails, those analysed before it are closed here.
   */
  public List<AnalyzedFace> analyze(Mat picture) {
    List<DetectedFace> enhanced = detect(picture).stream()
        .filter(aligner::largeEnough)
        .sorted(Comparator.comparingDouble(DetectedFace::area).reversed())
        .limit(MAX_FACES)
        .sorted(Comparator.comparingDouble(DetectedFace::x1))
        .toList();
    List<AnalyzedFace> faces = new ArrayList<>(enhanced.size());
    try {
      for (DetectedFace face : enhanced) {
        faces.add(analyzeFace(picture, face));
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
    List<DetectedFace> found = detector.detect(picture);
    if (found.stream().noneMatch(face -> needsPadding(face, picture))) {
      return found;
    }
    int pad = Math.max(picture.cols(), picture.rows()) / 2;
    List<DetectedFace> again;
    try (MatScope scope = new MatScope()) {
      Mat padded = scope.newMat();
      Core.copyMakeBorder(picture, padded, pad, pad, pad, pad, Core.BORDER_CONSTANT | Core.BORDER_ISOLATED, Scalar.all(0));
      again = detector.detect(padded).stream().map(face -> shifted(face, -pad)).toList();
    }
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

  private static boolean needsPadding(DetectedFace face, Mat picture) {
    int side = Math.max(picture.cols(), picture.rows());
    boolean large = Math.max(face.width(), face.height()) > LARGE_FACE_FRACTION * side;
    boolean cut = face.x1() < BORDER || face.y1() < BORDER
        || face.x2() > picture.cols() - BORDER || face.y2() > picture.rows() - BORDER;
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

  private static DetectedFace shifted(DetectedFace face, float by) {
    float[] landmarks = face.landmarks();
    for (int i = 0; i < landmarks.length; i++) {
      landmarks[i] += by;
    }
    return new DetectedFace(face.x1() + by, face.y1() + by, face.x2() + by, face.y2() + by, face.score(), landmarks);
  }

  /** One face, which the caller owns. */
  public AnalyzedFace analyzeFace(Mat picture, DetectedFace detected) {
    try (MatScope scope = new MatScope()) {
      AlignedFace aligned = aligner.align(picture, detected);
      scope.own(aligned.crop());
      Mat labels = scope.own(parser.parse(aligned.crop()));
      EyeRegions.addEyesBehindGlasses(labels, detected.landmarks(), aligned.affine(), MIN_REGION_PIXELS);
      AnalyzedFace face = new AnalyzedFace(detected, aligned, labels, regions(labels));
      scope.detach(aligned.crop());
      scope.detach(labels);
      return face;
    }
  }

  private static List<String> regions(Mat labels) {
    return FaceParser.regionsPresent(labels, MIN_REGION_PIXELS).stream()
        .filter(region -> !region.equals(FaceRegion.Group.BACKGROUND.label()))
        .toList();
  }
}
