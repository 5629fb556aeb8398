package io.animegan.stylize;

import io.animegan.common.config.Limits;
import io.animegan.common.face.CropFromPicture;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.StageInputs;
import io.animegan.common.stage.StageProcessor;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageStylized;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Runs the picture's style on the whole picture (at output size) and on every aligned face crop
 * the picture does not hold at the crop's resolution, so faces are drawn in the same look as the
 * rest; the other faces are marked for blend-stage to cut from the stylized picture.
 */
public final class StylizeProcessor implements StageProcessor<FacesDetected, ImageStylized>, AutoCloseable {

    public static final String NAME = "stylize";

    private final BlobStore store;
    private final Generators generators;

    public StylizeProcessor(BlobStore store, Generators generators) {
        this.store = store;
        this.generators = generators;
    }

    @Override
    public ImageStylized process(FacesDetected event) {
        StageInputs.check(event, store.bucket());
        long start = System.nanoTime();
        int maxSide = event.getOptions().getMaxSide();
        if (maxSide < Limits.MIN_OUTPUT_SIDE || maxSide > Limits.MAX_OUTPUT_SIDE) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS,
                    "maxSide must be between " + Limits.MIN_OUTPUT_SIDE + " and " + Limits.MAX_OUTPUT_SIDE + ", got "
                            + maxSide);
        }
        Integer styleSide = event.getOptions().getStyleSide();
        if (styleSide != null && (styleSide < Limits.MIN_OUTPUT_SIDE || styleSide > Limits.MAX_OUTPUT_SIDE)) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS,
                    "styleSide must be between " + Limits.MIN_OUTPUT_SIDE + " and " + Limits.MAX_OUTPUT_SIDE + ", got "
                            + styleSide);
        }
        String style = generators.style(event.getOptions().getStyle()).id();
        try (MatScope scope = new MatScope()) {
            Mat stylized = scope.own(stylizePicture(event, style, maxSide));
            BlobRef picture =
                    store.put(Keys.stylizedPicture(event.getImageId()), ImageCodec.encodePng(stylized), "image/png");
            // With a style side the picture is drawn smaller and guided up, so it holds no face at full resolution.
            Mat drawnAtOutputSize = styleSide == null ? stylized : null;
            List<Face> faces = new ArrayList<>();
            for (Face face : event.getFaces()) {
                faces.add(stylizeFace(event, style, face, drawnAtOutputSize));
            }
            return stylized(event, picture, faces, start);
        }
    }

    private static ImageStylized stylized(FacesDetected event, BlobRef picture, List<Face> faces, long start) {
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

    /** The picture drawn at output size, a new Mat the caller owns. */
    private Mat stylizePicture(FacesDetected event, String style, int maxSide) {
        try (MatScope scope = new MatScope()) {
            Mat source = scope.own(decodeSource(event));
            Mat sized = scope.own(resize(source, OutputSize.fit(source.cols(), source.rows(), maxSide)));
            return generators.stylize(style, sized, event.getOptions().getStyleSide());
        }
    }

    private Mat decodeSource(FacesDetected event) {
        try {
            return ImageCodec.decode(store.get(event.getSource()));
        } catch (BlobNotFoundException e) {
            throw new StageException(ErrorCode.SOURCE_MISSING, e.getMessage(), e);
        }
    }

    /**
     * The face with its crop in the style: marked as drawn from the picture where the picture's
     * stylization holds the face at the crop's resolution ({@link CropFromPicture}; blend-stage cuts
     * it there), otherwise with a generator run on the crop, stored.
     *
     * @param picture the stylization at output size, or null where it was drawn smaller
     */
    private Face stylizeFace(FacesDetected event, String style, Face face, Mat picture) {
        if (picture != null) {
            double[] sourceToCrop =
                    face.getAffine().stream().mapToDouble(Double::doubleValue).toArray();
            double scaleX = (double) picture.cols() / event.getWidth();
            double scaleY = (double) picture.rows() / event.getHeight();
            if (CropFromPicture.covers(sourceToCrop, face.getCropSize(), scaleX, scaleY)) {
                return Face.newBuilder(face)
                        .setStylized(null)
                        .setStylizedFromPicture(true)
                        .build();
            }
        }
        try (MatScope scope = new MatScope()) {
            Mat crop = scope.own(ImageCodec.decodeInternal(store.get(face.getCrop())));
            Mat stylizedCrop = scope.own(generators.stylize(style, crop));
            var ref = store.put(
                    Keys.stylizedFace(event.getImageId(), face.getIndex()),
                    ImageCodec.encodePng(stylizedCrop),
                    "image/png");
            return Face.newBuilder(face)
                    .setStylized(ref)
                    .setStylizedFromPicture(false)
                    .build();
        }
    }

    /** The picture at the output size: a new Mat, or {@code source} itself when it already has that size. */
    static Mat resize(Mat source, OutputSize size) {
        if (source.cols() == size.width() && source.rows() == size.height()) {
            return source;
        }
        Mat resized = new Mat();
        boolean shrinking = size.width() < source.cols();
        Imgproc.resize(
                source,
                resized,
                new Size(size.width(), size.height()),
                0,
                0,
                shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        return resized;
    }

    /** The generators this processor draws with, for the segment application to share. */
    public Generators generators() {
        return generators;
    }

    /** Style ids this instance is limited to (empty: every available style). */
    public Set<String> served() {
        return generators.served();
    }

    /**
     * Whether this instance takes the record: always without a style list; with one, when the
     * record's style is on it (see {@link Generators#serves}).
     */
    public boolean serves(FacesDetected event) {
        return generators.serves(event.getOptions().getStyle());
    }

    /** Closes every loaded generator session. */
    @Override
    public void close() {
        generators.close();
    }
}
