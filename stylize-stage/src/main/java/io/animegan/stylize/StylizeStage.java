package io.animegan.stylize;

import io.animegan.common.config.Limits;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.StageProcessor;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageStylized;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Runs the generator on the whole picture (at output size) and on every aligned face crop. */
public final class StylizeStage implements StageProcessor<FacesDetected, ImageStylized> {

  public static final String NAME = "stylize";

  private final BlobStore store;
  private final AnimeGanGenerator generator;

  public StylizeStage(BlobStore store, AnimeGanGenerator generator) {
    this.store = store;
    this.generator = generator;
  }

  @Override
  public ImageStylized process(FacesDetected event) {
    long start = System.nanoTime();
    int maxSide = event.getOptions().getMaxSide();
    if (maxSide < Limits.MIN_OUTPUT_SIDE || maxSide > Limits.MAX_OUTPUT_SIDE) {
      throw new StageException(ErrorCode.INVALID_OPTIONS,
          "maxSide must be between " + Limits.MIN_OUTPUT_SIDE + " and " + Limits.MAX_OUTPUT_SIDE + ", got " + maxSide);
    }
    Mat source = decodeSource(event);
    Mat stylized = generator.stylize(resize(source, OutputSize.fit(source.cols(), source.rows(), maxSide)));
    var picture = store.put(Keys.stylizedPicture(event.getImageId()), ImageCodec.encodePng(stylized), "image/png");
    List<Face> faces = new ArrayList<>();
    for (Face face : event.getFaces()) {
      faces.add(stylizeFace(event.getImageId(), face));
    }
    return ImageStylized.newBuilder()
        .setImageId(event.getImageId())
        .setSource(event.getSource())
        .setWidth(event.getWidth())
        .setHeight(event.getHeight())
        .setOptions(event.getOptions())
        .setStylized(picture)
        .setFaces(faces)
        .setTrace(Traces.withStage(event.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
        .build();
  }

  private Mat decodeSource(FacesDetected event) {
    try {
      return ImageCodec.decode(store.get(event.getSource()));
    } catch (BlobNotFoundException e) {
      throw new StageException(ErrorCode.SOURCE_MISSING, e.getMessage(), e);
    }
  }

  private Face stylizeFace(String imageId, Face face) {
    Mat crop = ImageCodec.decodeInternal(store.get(face.getCrop()));
    Mat stylizedCrop = generator.stylize(crop);
    var ref = store.put(Keys.stylizedFace(imageId, face.getIndex()), ImageCodec.encodePng(stylizedCrop), "image/png");
    return Face.newBuilder(face).setStylized(ref).build();
  }

  static Mat resize(Mat source, OutputSize size) {
    if (source.cols() == size.width() && source.rows() == size.height()) {
      return source;
    }
    Mat resized = new Mat();
    boolean shrinking = size.width() < source.cols();
    Imgproc.resize(source, resized, new Size(size.width(), size.height()), 0, 0,
        shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
    return resized;
  }
}
