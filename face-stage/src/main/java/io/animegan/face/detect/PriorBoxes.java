package io.animegan.face.detect;

/**
 * RetinaFace's anchor boxes for one network input size, in the exact order of the model's outputs
 * (level, row, column, size). Coordinates are normalised to the input size, as the decoder expects.
 * Generating them costs an allocation of a few hundred kilobytes, so {@link RetinaFaceDetector}
 * keeps the set for the last input size and rebuilds it only when the size changes.
 */
public final class PriorBoxes {

    private static final int[] STEPS = {8, 16, 32};
    private static final int[][] MIN_SIZES = {{16, 32}, {64, 128}, {256, 512}};

    private final int inputWidth;
    private final int inputHeight;
    /** Four values per prior: centre x, centre y, width, height. */
    private final float[] boxes;

    public PriorBoxes(int inputWidth, int inputHeight) {
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.boxes = new float[count(inputWidth, inputHeight) * 4];
        int i = 0;
        for (int level = 0; level < STEPS.length; level++) {
            int step = STEPS[level];
            for (int row = 0; row < cells(inputHeight, step); row++) {
                for (int column = 0; column < cells(inputWidth, step); column++) {
                    for (int size : MIN_SIZES[level]) {
                        boxes[i++] = (column + 0.5f) * step / inputWidth;
                        boxes[i++] = (row + 0.5f) * step / inputHeight;
                        boxes[i++] = (float) size / inputWidth;
                        boxes[i++] = (float) size / inputHeight;
                    }
                }
            }
        }
    }

    /** Number of priors, which is also the model's output length, for an input of this size. */
    public static int count(int inputWidth, int inputHeight) {
        int count = 0;
        for (int level = 0; level < STEPS.length; level++) {
            count += cells(inputWidth, STEPS[level]) * cells(inputHeight, STEPS[level]) * MIN_SIZES[level].length;
        }
        return count;
    }

    /** Feature-map cells along one side: the backbone's stride-2 convolutions round up. */
    private static int cells(int side, int step) {
        return (side + step - 1) / step;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int inputHeight() {
        return inputHeight;
    }

    public int count() {
        return boxes.length / 4;
    }

    public float centerX(int prior) {
        return boxes[prior * 4];
    }

    public float centerY(int prior) {
        return boxes[prior * 4 + 1];
    }

    public float width(int prior) {
        return boxes[prior * 4 + 2];
    }

    public float height(int prior) {
        return boxes[prior * 4 + 3];
    }
}
