package io.animegan.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the ONNX models are, for every command that loads them (run, stage, ingest, bench, soak). */
public final class ModelsOption {

    @Option(
            names = "--models",
            defaultValue = "${env:ANIMEGAN_MODELS_DIR:-models}",
            description =
                    "Directory with the ONNX models (env ANIMEGAN_MODELS_DIR; ./animegan sets it to its own models/). "
                            + "Default: ${DEFAULT-VALUE}")
    Path modelsDir;

    public Path dir() {
        return modelsDir;
    }
}
