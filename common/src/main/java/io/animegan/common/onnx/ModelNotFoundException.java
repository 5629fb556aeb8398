package io.animegan.common.onnx;

import java.nio.file.Path;

/** A model file is missing: says which file and where it must go. */
public final class ModelNotFoundException extends RuntimeException {
  public ModelNotFoundException(String fileName, Path modelsDir) {
    super("model file '" + fileName + "' not found in " + modelsDir.toAbsolutePath().normalize()
        + ": put the ONNX models in that directory, or point --models / ANIMEGAN_MODELS_DIR at the"
        + " directory that holds them (the README's 'Models' section lists every file)");
  }
}
