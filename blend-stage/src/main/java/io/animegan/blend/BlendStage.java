package io.animegan.blend;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.stage.StageProcessor;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageStylized;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Mat;

/** Puts the stylized faces back into the stylized picture, encodes the result and stores it. */
public final class BlendStage implements StageProcessor<ImageStylized, ImageCompleted> {

  public static final String NAME = "blend";
  private static final int JPEG_QUALITY = 92;

  private final BlobStore store;
  private final FacePaster paster;

  public BlendStage(BlobStore store, FacePaster paster) {
    this.store = store;
    this.paster = paster;
  }

  @Override
  public ImageCompleted process(ImageStylized event) {
    long start = System.nanoTime();
    Mat picture = ImageCodec.decodeInternal(store.get(event.getStylized()));
    double scaleX = (double) picture.cols() / event.getWidth();
    double scaleY = (double) picture.rows() / event.getHeight();
    for (Face face : smallestFirst(event.getFaces())) {
      pasteFace(picture, face, scaleX, scaleY);
    }
    boolean jpeg = "jpeg".equals(event.getOptions().getFormat());
    byte[] encoded = jpeg ? ImageCodec.encodeJpeg(picture, JPEG_QUALITY) : ImageCodec.encodePng(picture);
    String contentType = jpeg ? "image/jpeg" : "image/png";
    BlobRef result = store.put(Keys.result(event.getImageId(), jpeg ? "jpg" : "png"), encoded, contentType);
    ImageCompleted completed = ImageCompleted.newBuilder()
        .setImageId(event.getImageId())
        .setResult(result)
        .setContentType(contentType)
        .setWidth(picture.cols())
        .setHeight(picture.rows())
        .setFaceCount(event.getFaces().size())
        .setFaces(event.getFaces())
        .setCompletedAtMs(System.currentTimeMillis())
        .setOptions(event.getOptions())
        .setTrace(Traces.withStage(event.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
        .build();
    picture.release();
    return completed;
  }

  /** Smaller (usually farther) faces first, so nearer faces that overlap them are pasted on top. */
  private static List<Face> smallestFirst(List<Face> faces) {
    return faces.stream()
        .sorted(Comparator.comparingDouble(f -> (f.getBox().get(2) - f.getBox().get(0)) * (f.getBox().get(3) - f.getBox().get(1))))
        .toList();
  }

  private void pasteFace(Mat picture, Face face, double scaleX, double scaleY) {
    if (face.getStylized() == null) {
      return;
    }
    Mat crop = ImageCodec.decodeInternal(store.get(face.getStylized()));
    Mat mask = face.getParsing() != null
        ? PasteMask.fromParsing(ImageCodec.decodeInternal(store.get(face.getParsing())))
        : PasteMask.ellipse(crop.cols());
    double[] affine = face.getAffine().stream().mapToDouble(Double::doubleValue).toArray();
    paster.paste(picture, crop, mask, CropToPicture.transform(affine, scaleX, scaleY));
    crop.release();
    mask.release();
  }
}
