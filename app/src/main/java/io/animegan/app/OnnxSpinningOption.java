package io.animegan.app;

import io.animegan.common.onnx.OnnxSessionOptions;
import picocli.CommandLine.Option;

/**
 * Whether ONNX Runtime's idle intra-op threads spin-wait for the next operator, for run, stage and
 * bench: {@code auto} spins where stylize-stage has the process to itself and sleeps where the
 * process shares the cores with the other stages, the broker and the storage.
 */
public final class OnnxSpinningOption {

    /** The policy as given on the command line. */
    public enum Spinning {
        on,
        off,
        auto
    }

    @Option(
            names = "--onnx-spinning",
            defaultValue = "${env:ANIMEGAN_ONNX_SPINNING:-auto}",
            description =
                    "Whether ONNX Runtime's idle intra-op threads spin instead of sleeping: on, off, or auto = on in "
                            + "`stage stylize` (the cores to itself), off elsewhere, e.g. in `run` (env ANIMEGAN_ONNX_SPINNING). "
                            + "Default: ${DEFAULT-VALUE}")
    Spinning spinning;

    /** The policy as given. */
    public Spinning value() {
        return spinning;
    }

    /** Whether sessions spin, {@code ownCores} telling whether the generator has the process's cores to itself. */
    public boolean resolve(boolean ownCores) {
        return switch (spinning) {
            case on -> true;
            case off -> false;
            case auto -> ownCores;
        };
    }

    /** Sets this process's policy (see {@link OnnxSessionOptions#useSpinning}); call before any session loads. */
    public void apply(boolean ownCores) {
        OnnxSessionOptions.useSpinning(resolve(ownCores));
    }
}
