package io.animegan.face;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.StageProcessor;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import io.animegan.face.align.AlignedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.FaceParser;
import io.animegan.face.parse.FaceRegion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Decodes the upload (upright, per its EXIF orientation), finds the faces, aligns each one to the
 * 512x512 template and parses it into regions. Stores crops and label maps; the event carries
 * their references and the geometry.
 */
public final class FaceStage implements StageProcessor<ImageSubmitted, FacesDetected> {

  public static final String NAME = "face";
  /** Upper bound on enhanced faces per picture (the largest ones), to bound the work per record. */
  static final int MAX_FACES = 48;
  /** A region counts as present with at least this many pixels in the 512 crop. */
  static final int MIN_REGION_PIXELS = 40;

  private final BlobStore store;
  private final RetinaFaceDetector detector;
  private final FaceAligner aligner;
  private final FaceParser parser;

  public FaceStage(BlobStore store, RetinaFaceDetector detector, FaceAligner aligner, FaceParser parser) {
    this.store = store;
    this.detector = detector;
    this.aligner = aligner;
    this.parser = parser;
  }

  @Override
  public FacesDetected process(ImageSubmitted event) {
    long start = System.nanoTime();
    Mat picture = decode(event.getSource());
    List<Face> faces = event.getOptions().getFaces() ? findFaces(event.getImageId(), picture) : List.of();
    FacesDetected detected = FacesDetected.newBuilder()
        .setImageId(event.getImageId())
        .setSource(event.getSource())
        .setWidth(picture.cols())
        .setHeight(picture.rows())
        .setOptions(event.getOptions())
        .setFaces(faces)
        .setTrace(Traces.withStage(event.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
        .build();
    picture.release();
    return detected;
  }

  private Mat decode(BlobRef source) {
    try {
      return ImageCodec.decode(store.get(source));
    } catch (BlobNotFoundException e) {
      throw new StageException(ErrorCode.SOURCE_MISSING, e.getMessage(), e);
    }
  }

  private List<Face> findFaces(String imageId, Mat picture) {
    List<DetectedFace> enhanced = detector.detect(picture).stream()
        .filter(aligner::largeEnough)
        .sorted(Comparator.comparingDouble(DetectedFace::area).reversed())
        .limit(MAX_FACES)
        .sorted(Comparator.comparingDouble(DetectedFace::x1))
        .toList();
    List<Face> faces = new ArrayList<>(enhanced.size());
    for (int i = 0; i < enhanced.size(); i++) {
      faces.add(processFace(imageId, i, picture, enhanced.get(i)));
    }
    return faces;
  }

  private Face processFace(String imageId, int index, Mat picture, DetectedFace detected) {
    AlignedFace aligned = aligner.align(picture, detected);
    Mat labels = parser.parse(aligned.crop());
    BlobRef crop = store.put(Keys.faceCrop(imageId, index), ImageCodec.encodePng(aligned.crop()), "image/png");
    BlobRef parsing = store.put(Keys.faceParsing(imageId, index), ImageCodec.encodePng(labels), "image/png");
    Face face = Face.newBuilder()
        .setIndex(index)
        .setScore(detected.score())
        .setBox(List.of(detected.x1(), detected.y1(), detected.x2(), detected.y2()))
        .setLandmarks(floats(detected.landmarks()))
        .setAffine(doubles(aligned.affine()))
        .setCropSize(aligned.crop().cols())
        .setCrop(crop)
        .setParsing(parsing)
        .setRegions(regions(labels))
        .build();
    aligned.crop().release();
    labels.release();
    return face;
  }

  private static List<String> regions(Mat labels) {
    return FaceParser.regionsPresent(labels, MIN_REGION_PIXELS).stream()
        .filter(region -> !region.equals(FaceRegion.Group.BACKGROUND.label()))
        .toList();
  }

  private static List<Float> floats(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  private static List<Double> doubles(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }
}
