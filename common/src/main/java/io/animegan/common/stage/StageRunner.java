package io.animegan.common.stage;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.metrics.StreamsMeters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one stage's topology as a Kafka Streams application until closed. */
public final class StageRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

    private final String name;
    private final KafkaStreams streams;
    private final InstanceIdentity identity;
    private final CountDownLatch running = new CountDownLatch(1);
    private final StreamsMeters.Binding meters;
    private final AutoCloseable processor;
    private final List<StageRunner> companions = new ArrayList<>();

    /** @param processor closed once the streams have stopped calling it */
    public StageRunner(String name, Topology topology, Properties settings, AutoCloseable processor) {
        this.name = name;
        this.processor = processor;
        // Each instance claims a slot of its state directory; a state directory kept across restarts
        // keeps the instance's transactional id (see StableTransactionalIds).
        this.identity = InstanceIdentity.claim(Path.of(settings.getProperty(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString())));
        try {
            this.streams = new KafkaStreams(topology, settings, new StableTransactionalIds(identity.id()));
            this.meters = StreamsMeters.bind(name, streams);
        } catch (RuntimeException e) {
            identity.close();
            throw e;
        }
        streams.setStateListener((now, before) -> {
            log.info("{}: {} -> {}", name, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        // Permanent picture problems never get here (they become ImageFailed events); what does is
        // transient (storage down, broker hiccup), so a fresh thread retries from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            log.warn("{}: retrying after error: {}", name, e.toString());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** One stage as its own Kafka Streams application: input topic, processor, output or failed topic. */
    public static <I extends SpecificRecordBase, O extends SpecificRecordBase> StageRunner forStage(
            String applicationId,
            String stage,
            PipelineConfig config,
            Topic<I> input,
            Topic<O> output,
            StageProcessor<I, O> processor) {
        Topology topology =
                StageTopology.build(stage, input, output, config.topics().failed(), processor);
        return new StageRunner(
                applicationId,
                topology,
                StreamsSettings.forStage(
                        applicationId,
                        config.bootstrapServers(),
                        config.kafkaClient(),
                        config.stateDir(),
                        config.topics().deadLetter().name()),
                processor);
    }

    /**
     * Runs {@code companion} (another application of the same process, e.g. one sharing this one's
     * models) with this runner: started, awaited and reported with it, and closed before it, so a
     * processor this runner closes is no longer called by the companion.
     */
    public StageRunner with(StageRunner companion) {
        companions.add(companion);
        return this;
    }

    public StageRunner start() {
        companions.forEach(StageRunner::start);
        streams.start();
        return this;
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (StageRunner companion : companions) {
            if (!companion.awaitRunning(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return running.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** This application's state, or the first companion's that is not RUNNING. */
    public KafkaStreams.State state() {
        return companions.stream()
                .map(StageRunner::state)
                .filter(state -> state != KafkaStreams.State.RUNNING)
                .findFirst()
                .orElse(streams.state());
    }

    public String name() {
        return name;
    }

    /**
     * Leaves the consumer group on the way out (Kafka Streams stays in it by default), so a restarted
     * or scaled-down stage has its partitions reassigned at once instead of after the session timeout.
     */
    @Override
    public void close() {
        for (StageRunner companion : companions) {
            try {
                companion.close();
            } catch (RuntimeException e) {
                log.warn("{}: while closing {}: {}", name, companion.name(), e.toString());
            }
        }
        boolean stopped = false;
        try {
            stopped = streams.close(
                    CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                            .withTimeout(Duration.ofSeconds(30)));
        } finally {
            meters.close();
            identity.close();
            closeProcessor(stopped);
        }
    }

    /** A stream thread still running may be inside the processor: its native memory is left to the process's end then. */
    private void closeProcessor(boolean streamsStopped) {
        if (!streamsStopped) {
            log.warn("{}: streams did not stop in time; the processor is left open", name);
            return;
        }
        try {
            processor.close();
        } catch (Exception e) {
            log.warn("{}: while closing the processor: {}", name, e.toString());
        }
    }
}
