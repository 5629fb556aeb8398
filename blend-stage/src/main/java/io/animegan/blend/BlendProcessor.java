package io.animegan.blend;

import io.animegan.common.face.CropFromPicture;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.ImageHeader;
import io.animegan.common.image.MatScope;
import io.animegan.common.stage.StageInputs;
import io.animegan.common.stage.StageProcessor;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FaceStyle;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Loads the stylized picture and every face's crops and label map, has {@link FaceBlender}
 * put the faces back, encodes the result and stores it, with the debug overlay when asked for.
 * Only storage and events here; the image work is in {@link FaceBlender}. Every Mat of one
 * picture is released before {@link #process} returns or throws (a storage outage is retried).
 */
public final class BlendProcessor implements StageProcessor<ImageStylized, ImageCompleted> {

    public static final String NAME = "blend";
    private static final int JPEG_QUALITY = 92;

    private final BlobStore store;
    private final FaceBlender blender;

    private final StyleCatalogue styles;
    private final FacePhotos photos;

    /** With the shipped styles' face defaults. */
    public BlendProcessor(BlobStore store, FaceBlender blender) {
        this(store, blender, StyleCatalogue.builtIn());
    }

    /** @param styles where a style's face defaults come from when the request set none */
    public BlendProcessor(BlobStore store, FaceBlender blender, StyleCatalogue styles) {
        this(store, blender, styles, new FacePhotos(FacePhotos.DEFAULT_MAX_BYTES));
    }

    /** Takes ownership of {@code photos}. */
    BlendProcessor(BlobStore store, FaceBlender blender, StyleCatalogue styles, FacePhotos photos) {
        this.store = store;
        this.blender = blender;
        this.styles = styles;
        this.photos = photos;
    }

    @Override
    public ImageCompleted process(ImageStylized event) {
        StageInputs.check(event, store.bucket());
        long start = System.nanoTime();
        // The completion event records the strengths actually used, defaults included.
        FaceStyle style = styles.faceStyle(event.getOptions());
        Options options = withFaceStyle(event.getOptions(), style);
        if (nothingToPaste(event, options)) {
            return completeAsStylized(event, options, start);
        }
        List<FacePhotos.Lease> leases = new ArrayList<>();
        try (MatScope scope = new MatScope()) {
            Mat picture = scope.own(ImageCodec.decodeInternal(store.get(event.getStylized())));
            double scaleX = (double) picture.cols() / event.getWidth();
            double scaleY = (double) picture.rows() / event.getHeight();
            List<FaceLayers> faces = loadFaces(scope, leases, event.getFaces(), picture, scaleX, scaleY);
            List<BlendedFace> outcomes = blender.blend(picture, faces, style, scaleX, scaleY);
            try {
                BlobRef overlay = options.getDebug()
                        ? storeOverlay(event.getImageId(), picture, faces, outcomes, scaleX, scaleY)
                        : null;
                return complete(event, options, picture, overlay, start);
            } finally {
                outcomes.forEach(BlendedFace::close);
            }
        } finally {
            leases.forEach(FacePhotos.Lease::close);
        }
    }

    /** The kept face photos, released once no picture being blended uses them. */
    @Override
    public void close() {
        photos.close();
    }

    /**
     * Without faces, a PNG result is the stylized picture itself: stylize-stage encoded it as PNG
     * with the same settings, so decoding and encoding it again would only cost time and give the
     * same bytes.
     */
    private static boolean nothingToPaste(ImageStylized event, Options options) {
        return event.getFaces().isEmpty() && !options.getDebug() && !"jpeg".equals(options.getFormat());
    }

    private ImageCompleted completeAsStylized(ImageStylized event, Options options, long start) {
        byte[] png = store.get(event.getStylized());
        ImageHeader header = ImageHeader.read(png);
        BlobRef result = store.put(Keys.result(event.getImageId(), "png"), png, "image/png");
        return completed(event, options, result, "image/png", header.width(), header.height(), null, start);
    }

    private ImageCompleted complete(ImageStylized event, Options options, Mat picture, BlobRef overlay, long start) {
        boolean jpeg = "jpeg".equals(options.getFormat());
        byte[] encoded = jpeg ? ImageCodec.encodeJpeg(picture, JPEG_QUALITY) : ImageCodec.encodePng(picture);
        String contentType = jpeg ? "image/jpeg" : "image/png";
        BlobRef result = store.put(Keys.result(event.getImageId(), jpeg ? "jpg" : "png"), encoded, contentType);
        return completed(event, options, result, contentType, picture.cols(), picture.rows(), overlay, start);
    }

    private ImageCompleted completed(
            ImageStylized event,
            Options options,
            BlobRef result,
            String contentType,
            int width,
            int height,
            BlobRef overlay,
            long start) {
        return ImageCompleted.newBuilder()
                .setImageId(event.getImageId())
                .setResult(result)
                .setContentType(contentType)
                .setWidth(width)
                .setHeight(height)
                .setFaceCount(event.getFaces().size())
                .setFaces(event.getFaces())
                .setStyle(styles.find(options.getStyle()).map(Style::id).orElse(options.getStyle()))
                .setCompletedAtMs(System.currentTimeMillis())
                .setOverlay(overlay)
                .setOptions(options)
                .setTrace(Traces.withStage(event.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
                .build();
    }

    /**
     * Faces stylize-stage did not stylize (none should be missing) are left to the full-picture pass.
     * A face drawn from the picture has its stylized crop cut here from the untouched stylized
     * picture ({@link CropFromPicture}), before any face is pasted into it. Their stylized Mats
     * belong to {@code scope}, their photo sides to the {@code leases} added.
     */
    private List<FaceLayers> loadFaces(
            MatScope scope,
            List<FacePhotos.Lease> leases,
            List<Face> faces,
            Mat picture,
            double scaleX,
            double scaleY) {
        List<FaceLayers> layers = new ArrayList<>(faces.size());
        for (Face face : faces) {
            double[] sourceToCrop =
                    face.getAffine().stream().mapToDouble(Double::doubleValue).toArray();
            // A forged event may mark a face without a 2x3 transform to cut its crop with.
            boolean fromPicture = face.getStylizedFromPicture() && sourceToCrop.length == 6;
            if (face.getStylized() == null && !fromPicture) {
                continue;
            }
            FacePhotos.Lease lease = photo(face);
            leases.add(lease);
            FacePhoto photo = lease.photo();
            Mat stylized = fromPicture
                    ? scope.own(CropFromPicture.warp(
                            picture, sourceToCrop, photo.crop().cols(), scaleX, scaleY))
                    : scope.own(ImageCodec.decodeInternal(store.get(face.getStylized())));
            layers.add(new FaceLayers(
                    face.getIndex(),
                    photo,
                    stylized,
                    sourceToCrop,
                    floats(face.getBox()),
                    floats(face.getLandmarks())));
        }
        return layers;
    }

    /**
     * The face's photo side: kept from another style of the same upload, which names the same
     * stored crop and label map (its face group's one analysis), else read and made.
     */
    private FacePhotos.Lease photo(Face face) {
        return photos.lease(photoKey(face), () -> readPhoto(face));
    }

    /**
     * The stored objects' keys and the face's geometry: a picture analysed again overwrites its
     * objects, perhaps with another face at the same index, but the same geometry cuts the same
     * crop from the same upload (the keys' picture's), so the same key always means the same photo.
     */
    static String photoKey(Face face) {
        BlobRef parsing = face.getParsing();
        return face.getCrop().getKey() + "|" + (parsing == null ? "" : parsing.getKey()) + "|" + face.getCropSize()
                + "|" + face.getAffine();
    }

    private FacePhoto readPhoto(Face face) {
        try (MatScope scope = new MatScope()) {
            Mat labels = face.getParsing() != null
                    ? scope.own(ImageCodec.decodeInternal(store.get(face.getParsing())))
                    : null;
            Mat crop = scope.own(ImageCodec.decodeInternal(store.get(face.getCrop())));
            scope.detach(crop);
            if (labels != null) {
                scope.detach(labels);
            }
            return FacePhoto.of(crop, labels);
        }
    }

    private BlobRef storeOverlay(
            String imageId,
            Mat picture,
            List<FaceLayers> faces,
            List<BlendedFace> outcomes,
            double scaleX,
            double scaleY) {
        try (MatScope scope = new MatScope()) {
            Mat overlay = scope.own(DebugOverlay.draw(picture, faces, outcomes, scaleX, scaleY));
            return store.put(Keys.overlay(imageId), ImageCodec.encodePng(overlay), "image/png");
        }
    }

    /**
     * A shallow copy with the face style set. Not {@code Options.newBuilder(options)}: its deep copy
     * instantiates FaceStyle by reflection, which Avro refuses until EventSerde has registered the
     * events package as trusted (true in the stage, not in every caller).
     */
    static Options withFaceStyle(Options options, FaceStyle style) {
        Options copy = new Options();
        for (int i = 0; i < Options.getClassSchema().getFields().size(); i++) {
            copy.put(i, options.get(i));
        }
        copy.setFaceStyle(style);
        return copy;
    }

    private static float[] floats(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
