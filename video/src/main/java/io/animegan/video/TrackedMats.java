package io.animegan.video;

import io.animegan.common.image.MatScope;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencv.core.Mat;

/**
 * A {@link MatScope} that also counts, process-wide, how many Mats its instances hold: the video
 * classes take every Mat through one, so a test can check that decoding, filtering and encoding
 * a clip hold a bounded number of frames whatever the clip's length ({@link #peak()}).
 */
public final class TrackedMats implements AutoCloseable {

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();

    private final MatScope scope = new MatScope();
    private int held;

    public <M extends Mat> M own(M mat) {
        scope.own(mat);
        held++;
        PEAK.accumulateAndGet(LIVE.incrementAndGet(), Math::max);
        return mat;
    }

    public Mat newMat() {
        return own(new Mat());
    }

    /** Releases {@code mat} now. */
    public void release(Mat mat) {
        scope.release(mat);
        held--;
        LIVE.decrementAndGet();
    }

    /** Hands {@code mat} to the caller, who releases it. */
    public <M extends Mat> M detach(M mat) {
        scope.detach(mat);
        held--;
        LIVE.decrementAndGet();
        return mat;
    }

    @Override
    public void close() {
        scope.close();
        LIVE.addAndGet(-held);
        held = 0;
    }

    /** Mats held now by all scopes of the process. */
    public static int live() {
        return LIVE.get();
    }

    /** Most Mats held at once since the last {@link #resetPeak()}. */
    public static int peak() {
        return PEAK.get();
    }

    public static void resetPeak() {
        PEAK.set(LIVE.get());
    }
}
