package io.animegan.app;

import io.animegan.common.onnx.OnnxSessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Whether ONNX Runtime's CPU arenas give their buffers back after every call, for run and stage.
 * Giving them back roughly halves the embedded run's peak and idle memory, but each call then takes
 * its buffers from the system again, which costs speed and single-picture latency even with huge
 * pages (README "Memory of the embedded run"), so the arenas keep them unless told otherwise.
 */
public final class OnnxArenaOption {

    private static final Logger log = LoggerFactory.getLogger(OnnxArenaOption.class);

    /** The policy as given on the command line. */
    public enum Arena {
        keep,
        shrink
    }

    @Option(
            names = "--onnx-arena",
            defaultValue = "${env:ANIMEGAN_ONNX_ARENA:-keep}",
            description = "Whether ONNX Runtime's arenas keep their buffers for the next call (keep) or give them back "
                    + "after each call (shrink: about half the memory, slower; needs malloc's huge pages, which the "
                    + "launcher's GLIBC_TUNABLES=glibc.malloc.hugetlb=1 asks for) (env ANIMEGAN_ONNX_ARENA). "
                    + "Default: ${DEFAULT-VALUE}")
    Arena arena;

    /** Whether the arenas shrink. */
    boolean shrinks() {
        return arena == Arena.shrink;
    }

    /** Sets this process's policy (see {@link OnnxSessionOptions#useArenaShrinkage}); call before any session loads. */
    public void apply() {
        OnnxSessionOptions.useArenaShrinkage(shrinks());
        if (shrinks() && !OnnxSessionOptions.mallocHugePages()) {
            log.warn("--onnx-arena shrink without huge pages for malloc: each model call takes its buffers from the "
                    + "system again a small page at a time, several times slower; set "
                    + "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (the animegan launcher does)");
        }
    }
}
