package io.animegan.common.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one set of ONNX Runtime session options every model session of the pipeline is created with. */
public final class OnnxSessionOptions {

    /**
     * Whether idle intra-op threads spin-wait for the next operator instead of sleeping. A property
     * of the deployment, not of a pipeline: the process's command sets it once, before any session
     * loads (see {@link #useSpinning}).
     */
    private static volatile boolean spinning;

    /** What the CPU arenas do with a call's buffers (see {@link ArenaPolicy}); like spinning, a property of the deployment. */
    private static volatile ArenaPolicy arenaPolicy = ArenaPolicy.KEEP;

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
     * Sets what the arenas of calls made from now on do with their buffers. Giving them back is
     * affordable with huge pages ({@link #mallocHugePages}), several times the model's own time
     * without.
     */
    public static void useArenaPolicy(ArenaPolicy policy) {
        arenaPolicy = policy;
    }

    /** What the arenas do with a call's buffers now; {@link ArenaPolicy#KEEP} until the process's command says otherwise. */
    public static ArenaPolicy arenaPolicy() {
        return arenaPolicy;
    }

    /**
     * Whether glibc's malloc backs this process's large allocations with transparent huge pages,
     * which shrinking arenas need to stay affordable: asked for with the {@code glibc.malloc.hugetlb}
     * tunable (the {@code animegan} launcher sets it), or given to every mapping by the kernel's
     * {@code always} policy.
     */
    public static boolean mallocHugePages() {
        String policy;
        try {
            policy = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
        } catch (IOException | RuntimeException e) {
            policy = "";
        }
        return mallocHugePages(System.getenv().getOrDefault("GLIBC_TUNABLES", ""), policy);
    }

    /**
     * As {@link #mallocHugePages()}, from the {@code GLIBC_TUNABLES} value and the kernel's policy
     * line (e.g. {@code always [madvise] never}).
     */
    static boolean mallocHugePages(String tunables, String kernelPolicy) {
        return tunables.matches("(.*:)?glibc\\.malloc\\.hugetlb=[12](:.*)?") || kernelPolicy.contains("[always]");
    }

    /**
     * Options for one holder's calls with this process's arena policy, to be closed by the caller
     * once it makes no more calls.
     */
    public static OrtSession.RunOptions runOptions() throws OrtException {
        return runOptions(arenaPolicy == ArenaPolicy.SHRINK);
    }

    /** Options for calls whose arena gives its unused buffers back when they end, or keeps them. */
    static OrtSession.RunOptions runOptions(boolean shrink) throws OrtException {
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        try {
            if (shrink) {
                options.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
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
