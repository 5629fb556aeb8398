package io.animegan.app;

import io.animegan.common.onnx.OnnxSessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Whether ONNX Runtime's CPU arenas give their buffers back after every call, for run and stage:
 * {@code auto} does where malloc hands out huge pages (the {@code animegan} launcher asks glibc for
 * them), so the buffers come back at little cost; without huge pages the arenas keep them.
 */
public final class OnnxArenaOption {

    private static final Logger log = LoggerFactory.getLogger(OnnxArenaOption.class);

    /** The policy as given on the command line. */
    public enum Arena {
        shrink,
        keep,
        auto
    }

    @Option(
            names = "--onnx-arena",
            defaultValue = "${env:ANIMEGAN_ONNX_ARENA:-auto}",
            description = "Whether ONNX Runtime's arenas give their buffers back after each call (shrink) or keep them "
                    + "for the next (keep); auto = shrink where malloc hands out huge pages, as with the launcher's "
                    + "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (env ANIMEGAN_ONNX_ARENA). Default: ${DEFAULT-VALUE}")
    Arena arena;

    /** Whether the arenas shrink, {@code hugePages} telling whether malloc hands out huge pages. */
    boolean resolve(boolean hugePages) {
        return switch (arena) {
            case shrink -> true;
            case keep -> false;
            case auto -> hugePages;
        };
    }

    /** Sets this process's policy (see {@link OnnxSessionOptions#useArenaShrinkage}); call before any session loads. */
    public void apply() {
        boolean hugePages = OnnxSessionOptions.mallocHugePages();
        boolean shrink = resolve(hugePages);
        OnnxSessionOptions.useArenaShrinkage(shrink);
        log.info(
                "ONNX Runtime arenas {} their buffers after each call (--onnx-arena {}, malloc huge pages {})",
                shrink ? "give back" : "keep",
                arena,
                hugePages ? "on" : "off");
    }
}
