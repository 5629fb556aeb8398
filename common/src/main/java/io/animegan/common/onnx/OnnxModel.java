package io.animegan.common.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One ONNX Runtime session on the CPU, loaded once per process and reused for every image.
 * ONNX Runtime sessions are safe to call from several threads.
 */
public final class OnnxModel implements AutoCloseable {

  private final String name;
  private final OrtEnvironment env;
  private final OrtSession session;

  private OnnxModel(String name, OrtEnvironment env, OrtSession session) {
    this.name = name;
    this.env = env;
    this.session = session;
  }

  /**
   * @param threads intra-op threads; 0 means one per available processor (ONNX Runtime's own
   *     default counts physical cores only, which measured slower on this 2-vCPU machine)
   */
  public static OnnxModel load(Path modelsDir, String fileName, int threads) {
    Path file = modelsDir.resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new ModelNotFoundException(fileName, modelsDir);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
      return new OnnxModel(fileName, env, env.createSession(file.toString(), options));
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load model " + file + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public OrtEnvironment env() {
    return env;
  }

  public OrtSession session() {
    return session;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
