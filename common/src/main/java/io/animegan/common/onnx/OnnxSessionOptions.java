package io.animegan.common.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** The one set of ONNX Runtime session options every model session of the pipeline is created with. */
public final class OnnxSessionOptions {

    /**
     * Whether idle intra-op threads spin-wait for the next operator instead of sleeping. A property
     * of the deployment, not of a pipeline: the process's command sets it once, before any session
     * loads (see {@link #useSpinning}).
     */
    private static volatile boolean spinning;

    private OnnxSessionOptions() {}

    /**
     * Sets whether sessions created from now on spin. Spinning answers the next operator sooner
     * and suits a process that has the cores to itself (a stylize-stage of its own); where the
     * cores are shared with the other stages, Kafka and storage in one JVM, it takes CPU from them.
     */
    public static void useSpinning(boolean on) {
        spinning = on;
    }

    /** Whether sessions created now spin; off until the process's command says otherwise. */
    public static boolean spinning() {
        return spinning;
    }

    /**
     * New options with this process's spinning policy, to be closed by the caller once the session
     * is created.
     *
     * @param threads intra-op threads; 0 means one per available processor (ONNX Runtime's own
     *     default counts physical cores only and leaves the other hardware threads idle)
     */
    public static OrtSession.SessionOptions create(int threads) throws OrtException {
        return create(threads, spinning);
    }

    /** As {@link #create(int)}, with the spinning policy given instead of the process's. */
    public static OrtSession.SessionOptions create(int threads, boolean spinning) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(
                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
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
