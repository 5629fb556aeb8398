package io.animegan.common.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.metrics.AnimeganMetrics;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One ONNX Runtime session on the CPU, loaded once per process and reused for every image, with
 * the process's spinning policy (see {@link OnnxSessionOptions}) unless told otherwise.
 * ONNX Runtime sessions are safe to call from several threads.
 */
public final class OnnxModel implements AutoCloseable {

    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Timer inference;

    private OnnxModel(String name, OrtEnvironment env, OrtSession session) {
        this.name = name;
        this.env = env;
        this.session = session;
        this.inference = AnimeganMetrics.modelTimer(name);
    }

    /** @param threads intra-op threads; 0 means one per available processor (see {@link OnnxSessionOptions}) */
    public static OnnxModel load(Path modelsDir, String fileName, int threads) {
        return load(modelsDir, fileName, threads, OnnxSessionOptions.spinning());
    }

    /** As {@link #load(Path, String, int)}, with the spinning policy given instead of the process's. */
    public static OnnxModel load(Path modelsDir, String fileName, int threads, boolean spinning) {
        Path file = modelsDir.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new ModelNotFoundException(fileName, modelsDir);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OnnxSessionOptions.create(threads, spinning)) {
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

    /**
     * Runs one inference on this model's session, timed as {@code animegan_model_inference_seconds}
     * with this model's file name, e.g. {@code model.run(s -> s.run(inputs))}.
     */
    public <T> T run(SessionCall<T> call) throws OrtException {
        long start = System.nanoTime();
        try {
            return call.run(session);
        } finally {
            inference.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** One call on the session, as {@link #run(SessionCall)} times it. */
    @FunctionalInterface
    public interface SessionCall<T> {
        T run(OrtSession session) throws OrtException;
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
