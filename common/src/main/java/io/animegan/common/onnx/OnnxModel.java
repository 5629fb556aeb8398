package io.animegan.common.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.metrics.AnimeganMetrics;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One ONNX Runtime session on the CPU, loaded once per process and reused for every image, with
 * the process's spinning policy (see {@link OnnxSessionOptions}) unless told otherwise.
 * ONNX Runtime sessions are safe to call from several threads.
 *
 * <p>Stages that run in one JVM and load the same file with the same threads and spinning get the
 * same session, so its weights and buffers are held once: each {@link #load} is a holder of it,
 * owned and closed by its caller, and the session closes when its last holder does.
 */
public final class OnnxModel implements AutoCloseable {

    /** The sessions held now, by what they were created from; guarded by itself. */
    private static final Map<Key, Shared> OPEN = new HashMap<>();

    private final String name;
    private final OrtEnvironment env;
    private final Key key;
    private final Shared shared;
    private final OrtSession.RunOptions runOptions;
    private final Timer inference;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxModel(String name, OrtEnvironment env, Key key, Shared shared, OrtSession.RunOptions runOptions) {
        this.name = name;
        this.env = env;
        this.key = key;
        this.shared = shared;
        this.runOptions = runOptions;
        this.inference = AnimeganMetrics.modelTimer(name);
    }

    /** What makes two loads the same session. */
    private record Key(Path file, int threads, boolean spinning) {}

    /** A session and how many open holders it has. */
    private static final class Shared {
        final OrtSession session;
        int holders;

        Shared(OrtSession session) {
            this.session = session;
        }
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
        Key key = new Key(file.toAbsolutePath().normalize(), threads, spinning);
        OrtSession.RunOptions runOptions = createRunOptions(fileName);
        synchronized (OPEN) {
            Shared shared = OPEN.get(key);
            if (shared == null) {
                try {
                    shared = new Shared(createSession(env, file, threads, spinning));
                } catch (RuntimeException e) {
                    runOptions.close();
                    throw e;
                }
                OPEN.put(key, shared);
            }
            shared.holders++;
            return new OnnxModel(fileName, env, key, shared, runOptions);
        }
    }

    private static OrtSession.RunOptions createRunOptions(String fileName) {
        try {
            return OnnxSessionOptions.runOptions();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create run options for " + fileName + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, Path file, int threads, boolean spinning) {
        try (OrtSession.SessionOptions options = OnnxSessionOptions.create(threads, spinning)) {
            return env.createSession(file.toString(), options);
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
        return shared.session;
    }

    /**
     * Runs one inference on this model's session with this holder's run options (the process's arena
     * policy), timed as {@code animegan_model_inference_seconds} with this model's file name, e.g.
     * {@code model.run((s, options) -> s.run(inputs, options))}.
     */
    public <T> T run(SessionCall<T> call) throws OrtException {
        long start = System.nanoTime();
        try {
            return call.run(shared.session, runOptions);
        } finally {
            inference.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** One call on the session, as {@link #run(SessionCall)} times it. */
    @FunctionalInterface
    public interface SessionCall<T> {
        T run(OrtSession session, OrtSession.RunOptions options) throws OrtException;
    }

    /** Lets go of the session; closes it when no other holder is left. A second close does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        runOptions.close();
        synchronized (OPEN) {
            if (--shared.holders > 0) {
                return;
            }
            OPEN.remove(key);
            try {
                shared.session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
