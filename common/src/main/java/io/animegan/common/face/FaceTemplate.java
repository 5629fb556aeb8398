package io.animegan.common.face;

/**
 * Where the five face landmarks (eyes, nose tip, mouth corners, in the detector's order) should
 * land in a square crop of the given size.
 *
 * @param points {@code x0, y0, ..., x4, y4} in crop pixels
 */
public record FaceTemplate(int size, float[] points) {

    /**
     * Side of the largest aligned face crop, the template's own size; lengths in the face path are
     * given in pixels of this crop and scaled to the crop at hand with {@link #scaled}.
     */
    public static final int CROP_SIZE = 512;
    /**
     * Side of the smallest crop. Below it the generators draw eyes and lips as smudges, and the
     * face pass is there to keep them.
     */
    public static final int MIN_CROP_SIZE = 256;
    /**
     * Faces narrower than this in the output picture are left to the full-picture pass: a face of a
     * dozen pixels gains nothing from its own crop, and its paste mask would be all seam.
     */
    public static final int MIN_OUTPUT_WIDTH = 16;
    /** Crop sides are multiples of this: of every generator's size multiple (8, 16) and of the parser's (32). */
    public static final int CROP_MULTIPLE = 32;

    public static final int LANDMARK_COUNT = 5;

    /**
     * facexlib's FFHQ template for a 512x512 crop (the layout GFPGAN/CodeFormer restorers and the
     * FFHQ-trained models expect): eyes at about 47% of the height, mouth at 72%, face centred.
     */
    public static final FaceTemplate FFHQ_512 = new FaceTemplate(CROP_SIZE, new float[] {
        192.98138f, 239.94708f,
        318.90277f, 240.1936f,
        256.63416f, 314.01935f,
        201.26117f, 371.41043f,
        313.08905f, 371.15118f
    });

    public FaceTemplate {
        if (points.length != LANDMARK_COUNT * 2) {
            throw new IllegalArgumentException("expected 10 template coordinates, got " + points.length);
        }
        points = points.clone();
    }

    /**
     * {@code length} given in pixels of a {@link #CROP_SIZE} crop, scaled to a crop of
     * {@code cropSide} pixels: crops are parsed and blended at whatever size they arrive.
     */
    public static double scaled(double length, int cropSide) {
        return length * cropSide / CROP_SIZE;
    }

    /**
     * {@code area} given in pixels of a {@link #CROP_SIZE} crop, scaled to a crop of {@code cropSide}
     * pixels.
     */
    public static double scaledArea(double area, int cropSide) {
        double linear = (double) cropSide / CROP_SIZE;
        return area * linear * linear;
    }

    /**
     * The side of the crop to align a face to, given how many output pixels its {@link #CROP_SIZE}
     * crop would cover: about the face's own resolution in the output picture, since a finer crop is
     * shrunk away again when it is pasted, and every step after alignment (generator, parser, blend)
     * costs time in proportion to the crop's area. Rounded up to {@link #CROP_MULTIPLE}, between
     * {@link #MIN_CROP_SIZE} and {@link #CROP_SIZE}.
     *
     * @param outputSide the side of a {@link #CROP_SIZE} crop of this face, in output pixels
     */
    public static int cropSizeFor(double outputSide) {
        int rounded = (int) Math.ceil(outputSide / CROP_MULTIPLE - 1e-9) * CROP_MULTIPLE;
        return Math.max(MIN_CROP_SIZE, Math.min(CROP_SIZE, rounded));
    }

    /** This layout for a crop of {@code cropSide} pixels: the points scaled with the side. */
    public FaceTemplate scaledTo(int cropSide) {
        float[] scaled = new float[points.length];
        for (int i = 0; i < points.length; i++) {
            scaled[i] = (float) ((double) points[i] * cropSide / size);
        }
        return new FaceTemplate(cropSide, scaled);
    }

    /** A copy: the shared templates stay unchanged. */
    @Override
    public float[] points() {
        return points.clone();
    }
}
