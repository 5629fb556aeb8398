package io.animegan.common.onnx;

import java.nio.file.Path;

/** A model file is missing: says which file and where it must go. */
public final class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String fileName, Path modelsDir) {
        super("model file '" + fileName + "' not found in "
                + modelsDir.toAbsolutePath().normalize()
                + " (set --models or ANIMEGAN_MODELS_DIR to the directory that holds the models;"
                + " models/README.md lists every file)");
    }
}
