package io.animegan.common.image;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Owns the native OpenCV matrices one step creates and releases them all when closed, on every
 * path, exceptions included. A Mat's pixels live outside the Java heap, so the garbage collector
 * neither sees their size nor frees them in time under a fast stream.
 *
 * <pre>{@code
 * try (MatScope scope = new MatScope()) {
 *   Mat picture = scope.own(ImageCodec.decode(bytes));
 *   Mat small = scope.newMat();
 *   Imgproc.resize(picture, small, size);
 *   return ImageCodec.encodePng(small);
 * }
 * }</pre>
 *
 * A Mat that must outlive the scope (a step's result) is handed on with {@link #detach(Mat)}.
 * Not thread-safe: one scope per step.
 */
public final class MatScope implements AutoCloseable {

    static {
        OpenCv.load();
    }

    private final List<Mat> owned = new ArrayList<>();

    /** Takes ownership of {@code mat} (released when this scope closes) and returns it. */
    public <M extends Mat> M own(M mat) {
        owned.add(mat);
        return mat;
    }

    /** A new empty Mat owned by this scope. */
    public Mat newMat() {
        return own(new Mat());
    }

    /** Gives {@code mat} up without releasing it: the caller (or another scope) owns it now. */
    public <M extends Mat> M detach(M mat) {
        owned.removeIf(m -> m == mat);
        return mat;
    }

    /** Releases {@code mat} now, before the scope closes (for large intermediates). */
    public void release(Mat mat) {
        if (owned.removeIf(m -> m == mat)) {
            mat.release();
        }
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).release();
        }
        owned.clear();
    }
}
