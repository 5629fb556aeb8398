package io.animegan.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one stage did with its records: processed (an output event), failed (an ImageFailed event,
 * by error code) or thrown back to Kafka Streams to retry (a transient problem), how long each
 * took, and how many are being worked on now.
 */
public final class StageMetrics {

    public static final String PROCESSED = AnimeganMetrics.PREFIX + "stage.records.processed";
    public static final String FAILED = AnimeganMetrics.PREFIX + "stage.records.failed";
    public static final String RETRIED = AnimeganMetrics.PREFIX + "stage.records.retried";
    public static final String PROCESSING = AnimeganMetrics.PREFIX + "stage.processing";
    public static final String IN_FLIGHT = AnimeganMetrics.PREFIX + "stage.in.flight";

    private static final Map<String, StageMetrics> BY_STAGE = new ConcurrentHashMap<>();

    private final String stage;
    private final MeterRegistry registry;
    private final Counter processed;
    /** Held here: the gauge only keeps a weak reference to it. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private StageMetrics(String stage, MeterRegistry registry) {
        this.stage = stage;
        this.registry = registry;
        this.processed = Counter.builder(PROCESSED)
                .description("Records a stage turned into its output event")
                .tag("stage", stage)
                .register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Records a stage is working on now")
                .tag("stage", stage)
                .register(registry);
    }

    /** The metrics of one stage (face, stylize, blend) in this JVM's registry. */
    public static StageMetrics of(String stage) {
        return BY_STAGE.computeIfAbsent(stage, name -> new StageMetrics(name, AnimeganMetrics.registry()));
    }

    /**
     * Runs the work for one record: in flight meanwhile, then timed and counted by its outcome.
     *
     * @param errorCode the failure's error code in the result, or null when the result is an output
     */
    public <T> T record(Supplier<T> work, Function<T, String> errorCode) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        String outcome = "retried";
        try {
            T result = work.get();
            String code = errorCode.apply(result);
            if (code == null) {
                processed.increment();
                outcome = "processed";
            } else {
                Counter.builder(FAILED)
                        .description("Records a stage turned into ImageFailed events")
                        .tags("stage", stage, "error_code", code)
                        .register(registry)
                        .increment();
                outcome = "failed";
            }
            return result;
        } catch (RuntimeException | Error e) {
            Counter.builder(RETRIED)
                    .description("Records handed back to Kafka Streams to retry (transient problems)")
                    .tags("stage", stage, "exception", e.getClass().getSimpleName())
                    .register(registry)
                    .increment();
            throw e;
        } finally {
            timer(outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            inFlight.decrementAndGet();
        }
    }

    private Timer timer(String outcome) {
        return Timer.builder(PROCESSING)
                .description("Time a stage spends on one record")
                .tags("stage", stage, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }
}
