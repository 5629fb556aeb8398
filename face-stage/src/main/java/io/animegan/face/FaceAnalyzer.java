package io.animegan.face;

import io.animegan.face.align.AlignedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.EyeRegions;
import io.animegan.face.parse.FaceParser;
import io.animegan.face.parse.FaceRegion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Mat;

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

  private final RetinaFaceDetector detector;
  private final FaceAligner aligner;
  private final FaceParser parser;

  public FaceAnalyzer(RetinaFaceDetector detector, FaceAligner aligner, FaceParser parser) {
    this.detector = detector;
    this.aligner = aligner;
    this.parser = parser;
  }

  /**
   * One analysed face; the caller owns and releases its Mats.
   *
   * @param labels label map at crop size, with eyes behind glasses added (see {@link EyeRegions})
   * @param regions the region groups present, background left out
   */
  public record AnalyzedFace(DetectedFace detected, AlignedFace aligned, Mat labels, List<String> regions) {

    public void release() {
      aligned.crop().release();
      labels.release();
    }
  }

  /** Faces left to right; faces narrower than the aligner's minimum are left out. */
  public List<AnalyzedFace> analyze(Mat picture) {
    List<DetectedFace> enhanced = detector.detect(picture).stream()
        .filter(aligner::largeEnough)
        .sorted(Comparator.comparingDouble(DetectedFace::area).reversed())
        .limit(MAX_FACES)
        .sorted(Comparator.comparingDouble(DetectedFace::x1))
        .toList();
    List<AnalyzedFace> faces = new ArrayList<>(enhanced.size());
    for (DetectedFace face : enhanced) {
      faces.add(analyzeFace(picture, face));
    }
    return faces;
  }

  public AnalyzedFace analyzeFace(Mat picture, DetectedFace detected) {
    AlignedFace aligned = aligner.align(picture, detected);
    Mat labels = parser.parse(aligned.crop());
    EyeRegions.addEyesBehindGlasses(labels, detected.landmarks(), aligned.affine(), MIN_REGION_PIXELS);
    return new AnalyzedFace(detected, aligned, labels, regions(labels));
  }

  private static List<String> regions(Mat labels) {
    return FaceParser.regionsPresent(labels, MIN_REGION_PIXELS).stream()
        .filter(region -> !region.equals(FaceRegion.Group.BACKGROUND.label()))
        .toList();
  }
}
