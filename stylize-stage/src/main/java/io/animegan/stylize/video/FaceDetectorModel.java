package io.animegan.stylize.video;

import io.animegan.common.onnx.OnnxModel;
import io.animegan.face.FaceStageApp;
import java.nio.file.Path;

/**
 * The face detector's model for clips drawn with {@code faces=true}: loaded when the first such
 * segment comes (most instances never draw one) and kept until the segment application closes.
 */
final class FaceDetectorModel implements AutoCloseable {

    private final Path modelsDir;
    private final int threads;
    private OnnxModel model;

    /** @param threads intra-op threads of its session (0: one per processor) */
    FaceDetectorModel(Path modelsDir, int threads) {
        this.modelsDir = modelsDir;
        this.threads = threads;
    }

    synchronized OnnxModel get() {
        if (model == null) {
            model = OnnxModel.load(modelsDir, FaceStageApp.DETECTOR_MODEL, threads);
        }
        return model;
    }

    @Override
    public synchronized void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }
}
