package io.animegan.common.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.metrics.AnimeganMetrics;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session on the CPU, loaded once per process and reused for every image, with
 * the process's spinning policy (see {@link OnnxSessionOptions}) unless told otherwise.
 * ONNX Runtime sessions are safe to call from several threads.
 *
 * <p>Stages that run in one JVM and load the same file with the same threads and spinning get the
 * same session, so its weights and buffers are held once: each {@link #load} is a holder of it,
 * owned and closed by its caller, and the session closes when its last holder does.
 *
 * <p>Under {@link ArenaPolicy#RELEASE_WHEN_IDLE}, one timer per process gives back the arena of
 * every session that has had no call for {@link #IDLE_RELEASE_SECONDS}, and a call on a session
 * whose arena is empty first has the other idle sessions give theirs back: it is about to take a
 * picture's worth of buffers, and the process then holds one model's worth instead of several
 * (the styles of a multi-style request take turns), while a model called picture after picture
 * keeps its buffers.
 */
public final class OnnxModel implements AutoCloseable {

    /**
     * How long a session waits without a call before its arena is given back: longer than the gaps
     * between a busy stage's calls, so a stream of pictures keeps its buffers, and short enough that
     * the generators of a multi-style request do not all hold theirs at once.
     */
    public static final int IDLE_RELEASE_SECONDS = 5;

    private static final Duration IDLE_RELEASE_AFTER = Duration.ofSeconds(IDLE_RELEASE_SECONDS);

    private static final Logger log = LoggerFactory.getLogger(OnnxModel.class);

    /** The sessions held now, by what they were created from; guarded by itself. */
    private static final Map<Key, Shared> OPEN = new HashMap<>();

    /** The timer that gives back idle arenas, started with the first session under that policy; guarded by {@link #OPEN}. */
    private static ScheduledExecutorService idleTimer;

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

    /** A session, how many open holders it has, and whether its arena holds buffers since its last call. */
    private static final class Shared {
        final OrtSession session;
        int holders;
        final AtomicInteger running = new AtomicInteger();
        volatile long lastCallEnded;
        volatile boolean arenaHeld;

        Shared(OrtSession session) {
            this.session = session;
        }

        /** Whether the arena has buffers to give back and the session has been left alone long enough. */
        boolean idleSince(long now) {
            return arenaHeld && running.get() == 0 && now - lastCallEnded >= IDLE_RELEASE_AFTER.toNanos();
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
                startIdleTimer();
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
        if (!shared.arenaHeld && OnnxSessionOptions.arenaPolicy() == ArenaPolicy.RELEASE_WHEN_IDLE) {
            releaseArenas(other -> other != shared && other.arenaHeld && other.running.get() == 0);
        }
        long start = System.nanoTime();
        shared.running.incrementAndGet();
        try {
            return call.run(shared.session, runOptions);
        } finally {
            long end = System.nanoTime();
            shared.lastCallEnded = end;
            shared.arenaHeld = true;
            shared.running.decrementAndGet();
            inference.record(end - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Whether this model's session has buffers in its arena from a call, not given back since. */
    boolean holdsArena() {
        return shared.arenaHeld;
    }

    /** Starts the idle-arena timer if the process's policy asks for it and it is not running; under {@link #OPEN}'s lock. */
    private static void startIdleTimer() {
        if (idleTimer != null || OnnxSessionOptions.arenaPolicy() != ArenaPolicy.RELEASE_WHEN_IDLE) {
            return;
        }
        idleTimer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "onnx-idle-arenas");
            thread.setDaemon(true);
            return thread;
        });
        idleTimer.scheduleWithFixedDelay(() -> releaseIdleArenas(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Gives back the arena of every open session idle at {@code now} (see {@link
     * #IDLE_RELEASE_SECONDS}); how many were given back. Under the lock, so no session closes during
     * its release call.
     */
    static int releaseIdleArenas(long now) {
        return releaseArenas(shared -> shared.idleSince(now));
    }

    /** Gives back the arenas of the open sessions that {@code release} picks; how many were given back. */
    private static int releaseArenas(Predicate<Shared> release) {
        int released = 0;
        synchronized (OPEN) {
            for (Map.Entry<Key, Shared> open : OPEN.entrySet()) {
                Shared shared = open.getValue();
                if (!release.test(shared)) {
                    continue;
                }
                shared.arenaHeld = false;
                try {
                    if (ArenaRelease.giveBack(OrtEnvironment.getEnvironment(), shared.session)) {
                        released++;
                    }
                } catch (OrtException | RuntimeException e) {
                    log.warn(
                            "could not give back the arena of {}: {}",
                            open.getKey().file().getFileName(),
                            e.getMessage());
                }
            }
        }
        return released;
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
