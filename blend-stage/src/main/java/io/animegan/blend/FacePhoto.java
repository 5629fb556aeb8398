package io.animegan.blend;

import io.animegan.common.image.MatScope;
import org.opencv.core.Mat;

/**
 * The photo side of one face, the same in every style: the aligned crop and its parsing label map
 * as face-stage stored them, and what blend derives from them alone, before any stylized pixel is
 * involved: the soft region masks, the edge-preservingly smoothed photo and the weight of the
 * sharpened features ({@link RegionStyler}), and the parsed face region that is pasted
 * ({@link PasteMask#faceRegion}). The styles of one upload share one ({@link FacePhotos}).
 *
 * <p>Owns its Mats; {@link #close()} releases them.
 */
public final class FacePhoto implements AutoCloseable {

    private final Mat crop;
    private final Mat labels;
    private final RegionMasks masks;
    private final Mat smooth;
    private final Mat features;
    private final Mat region;

    private FacePhoto(Mat crop, Mat labels, RegionMasks masks, Mat smooth, Mat features, Mat region) {
        this.crop = crop;
        this.labels = labels;
        this.masks = masks;
        this.smooth = smooth;
        this.features = features;
        this.region = region;
    }

    /**
     * Takes ownership of both Mats (released by {@link #close()} even if this throws).
     *
     * @param crop the aligned crop, 8-bit BGR
     * @param labels the parsing label map at crop size (CV_8UC1), or null if the face was not parsed
     */
    public static FacePhoto of(Mat crop, Mat labels) {
        if (labels == null) {
            return new FacePhoto(crop, null, null, null, null, null);
        }
        try (MatScope scope = new MatScope()) {
            scope.own(crop);
            scope.own(labels);
            RegionMasks masks = RegionMasks.of(labels);
            try {
                Mat smooth = scope.own(RegionStyler.smooth(crop));
                Mat features = scope.own(RegionStyler.features(masks));
                Mat region = scope.own(PasteMask.faceRegion(labels));
                FacePhoto photo = new FacePhoto(crop, labels, masks, smooth, features, region);
                for (Mat mat : new Mat[] {crop, labels, smooth, features, region}) {
                    scope.detach(mat);
                }
                return photo;
            } catch (RuntimeException | Error e) {
                masks.close();
                throw e;
            }
        }
    }

    /** The aligned crop, 8-bit BGR; read only. */
    public Mat crop() {
        return crop;
    }

    /** The parsing label map at crop size (CV_8UC1), or null if the face was not parsed; read only. */
    public Mat labels() {
        return labels;
    }

    /** The soft region masks, or null without parsing; read only. */
    RegionMasks masks() {
        return masks;
    }

    /** The crop smoothed with the edge-preserving filter, or null without parsing; read only. */
    Mat smooth() {
        return smooth;
    }

    /** Where the sharpened features take over from the smoothed photo (CV_32F, 0..1), or null without parsing. */
    Mat features() {
        return features;
    }

    /** The parsed face with hair and ears, 0/255, or null without parsing; read only. */
    Mat region() {
        return region;
    }

    /** The native memory its Mats hold. */
    long bytes() {
        long total = size(crop) + size(labels) + size(smooth) + size(features) + size(region);
        if (masks != null) {
            for (FacePart part : FacePart.values()) {
                total += size(masks.get(part));
            }
        }
        return total;
    }

    private static long size(Mat mat) {
        return mat == null ? 0 : mat.total() * mat.elemSize();
    }

    @Override
    public void close() {
        crop.release();
        if (labels != null) {
            labels.release();
            masks.close();
            smooth.release();
            features.release();
            region.release();
        }
    }
}
