package io.animegan.app;

import io.animegan.common.onnx.ArenaPolicy;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.onnx.OnnxSessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * What ONNX Runtime's CPU arenas do with a call's buffers, for run and stage. Giving them back after
 * every call roughly halves the embedded run's peak and idle memory, but each call then takes its
 * buffers from the system again, which costs single-picture latency even with huge pages (README
 * "Memory of the embedded run"). So by default a model keeps them while it is busy and gives them
 * back once it has been idle for a few seconds.
 */
public final class OnnxArenaOption {

    private static final Logger log = LoggerFactory.getLogger(OnnxArenaOption.class);

    /** The policy as given on the command line. */
    public enum Arena {
        keep(ArenaPolicy.KEEP),
        shrink(ArenaPolicy.SHRINK),
        idle(ArenaPolicy.RELEASE_WHEN_IDLE);

        final ArenaPolicy policy;

        Arena(ArenaPolicy policy) {
            this.policy = policy;
        }
    }

    @Option(
            names = "--onnx-arena",
            defaultValue = "${env:ANIMEGAN_ONNX_ARENA:-idle}",
            description = "What ONNX Runtime's arenas do with a model call's buffers: keep them for the next call "
                    + "(keep), give them back after each call (shrink: the least memory, each call slower), or keep "
                    + "them while the model is busy and give them back after " + OnnxModel.IDLE_RELEASE_SECONDS
                    + " s without a call (idle). Giving back needs malloc's huge "
                    + "pages to stay cheap, which the launcher's GLIBC_TUNABLES=glibc.malloc.hugetlb=1 asks for "
                    + "(env ANIMEGAN_ONNX_ARENA). Default: ${DEFAULT-VALUE}")
    Arena arena;

    /** The policy asked for. */
    ArenaPolicy policy() {
        return arena.policy;
    }

    /** Sets this process's policy (see {@link OnnxSessionOptions#useArenaPolicy}); call before any session loads. */
    public void apply() {
        OnnxSessionOptions.useArenaPolicy(policy());
        if (arena != Arena.keep && !OnnxSessionOptions.mallocHugePages()) {
            log.warn(
                    "--onnx-arena {} without huge pages for malloc: a model call after its arena gave back its buffers "
                            + "takes them from the system again a small page at a time, several times slower; set "
                            + "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (the animegan launcher does)",
                    arena);
        }
    }
}
