package io.animegan.common.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** The one set of ONNX Runtime session options every model session of the pipeline is created with. */
public final class OnnxSessionOptions {

    private OnnxSessionOptions() {}

    /**
     * New options, to be closed by the caller once the session is created.
     *
     * @param threads intra-op threads; 0 means one per available processor (ONNX Runtime's own
     *     default counts physical cores only and leaves the other hardware threads idle)
     */
    public static OrtSession.SessionOptions create(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(
                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            // Idle intra-op threads sleep instead of spin-waiting for the next operator: the cores are
            // shared with the stage's other threads (Kafka, storage, encoding) and other sessions, which
            // spinning would starve (README, "How it fits together", has the bench figures).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // Memory patterns plan one block per input shape and keep it; every picture has its own
            // shape, so the blocks pile up in the arena. Without them the arena stays at what one call
            // needs, at the same speed (README "4K", TiledMemoryMeasurement).
            options.setMemoryPatternOptimization(false);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
