package io.animegan.common.stage;

import io.animegan.common.config.Topic;
import io.animegan.common.storage.StorageException;
import io.animegan.events.ImageFailed;
import io.animegan.events.Trace;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology every stage shares: read an event, run the stage's processor, write its output,
 * or an ImageFailed event when the picture cannot be processed. Keys (image ids) are kept, so an
 * image stays on the same partition from stage to stage; each record's work is a span of the
 * picture's trace ({@link TracedRecord}). Completion and failure events carry CloudEvents headers
 * ({@link CloudEventHeaders}).
 */
public final class StageTopology {

    private static final Logger log = LoggerFactory.getLogger(StageTopology.class);

    private StageTopology() {}

    public static <I extends SpecificRecordBase, O extends SpecificRecordBase> Topology build(
            String stage, Topic<I> input, Topic<O> output, Topic<ImageFailed> failed, StageProcessor<I, O> processor) {
        return build(stage, input, output, failed, processor, event -> true);
    }

    /**
     * As {@link #build(String, Topic, Topic, Topic, StageProcessor)}, leaving the records {@code takes}
     * refuses to other deployments of the stage.
     */
    public static <I extends SpecificRecordBase, O extends SpecificRecordBase> Topology build(
            String stage,
            Topic<I> input,
            Topic<O> output,
            Topic<ImageFailed> failed,
            StageProcessor<I, O> processor,
            Predicate<I> takes) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Outcome<O>> outcomes = builder.stream(
                        input.name(), input.consumed().withName(stage + "-source"))
                .filter((id, event) -> takes.test(event), Named.as(stage + "-own-records"))
                .processValues(() -> traced(stage, input.name(), processor), Named.as(stage + "-process"));
        write(stage, outcomes, output, failed);
        return builder.build();
    }

    /**
     * One record's work as a span of the picture's trace, counted in the stage's metrics, its
     * outcome an output or a failure naming the stage: for a stage that builds its own topology.
     */
    public static <I extends SpecificRecordBase, O> FixedKeyProcessor<String, I, Outcome<O>> traced(
            String stage, String inputTopic, StageProcessor<I, O> processor) {
        return new TracedRecord<>(stage, inputTopic, processor);
    }

    /** Sends the outputs to {@code output} and the failures to {@code failed}, with their CloudEvents headers. */
    public static <O extends SpecificRecordBase> void write(
            String stage, KStream<String, Outcome<O>> outcomes, Topic<O> output, Topic<ImageFailed> failed) {
        String source = "/animegan/" + stage + "-stage";
        outcomes.split(Named.as(stage + "-"))
                .branch(
                        (id, outcome) -> outcome.output() != null,
                        Branched.withConsumer(
                                ok -> ok.mapValues(Outcome::output, Named.as(stage + "-output"))
                                        .processValues(
                                                CloudEventHeaders.<O>writer(source),
                                                Named.as(stage + "-output-cloudevent"))
                                        .to(output.name(), output.produced()),
                                "ok"))
                .defaultBranch(Branched.withConsumer(
                        failures -> failures.mapValues(Outcome::failure, Named.as(stage + "-failure"))
                                .processValues(
                                        CloudEventHeaders.<ImageFailed>writer(source),
                                        Named.as(stage + "-failure-cloudevent"))
                                .to(failed.name(), failed.produced()),
                        "failed"));
    }

    /** Runs the processor and turns any permanent problem into a failure event naming this stage. */
    public static <I extends SpecificRecordBase, O> Outcome<O> run(
            String stage, StageProcessor<I, O> processor, I event) {
        String imageId = String.valueOf(event.get("imageId"));
        long start = System.nanoTime();
        try {
            O output = processor.process(event);
            // One line per picture and stage, so there is something to follow a picture by.
            log.info("{}: image {} done in {} ms", stage, imageId, (System.nanoTime() - start) / 1_000_000);
            return new Outcome<>(output, null);
        } catch (StorageException e) {
            // An outage is not the picture's fault. The store has already retried for a while with
            // backoff, blocking this stream thread, which is what pauses consumption; what is left is
            // given back to Kafka Streams: TransientFailureHandler fails the task, the runner replaces
            // the thread, the open transaction is aborted and the record is read again from the last
            // commit. Retrying inside the processor (rather than only by thread replacement) keeps a
            // short outage cheap, and bounding it (BlobStore.Patience.STAGE, well under the transaction
            // timeout and poll interval) keeps the broker from aborting the transaction under us.
            throw e;
        } catch (StageException e) {
            log.info("{}: image {} failed: {} {}", stage, imageId, e.code(), e.getMessage());
            return new Outcome<>(null, failure(stage, event, e.code(), e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            log.error("{}: image {} failed unexpectedly", stage, imageId, e);
            return new Outcome<>(
                    null,
                    failure(
                            stage,
                            event,
                            ErrorCode.INTERNAL_ERROR,
                            e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static ImageFailed failure(String stage, SpecificRecordBase event, ErrorCode code, String message) {
        return ImageFailed.newBuilder()
                .setImageId(String.valueOf(event.get("imageId")))
                .setStage(stage)
                .setErrorCode(code.name())
                .setMessage(message == null ? code.name() : message)
                .setTrace((Trace) event.get("trace"))
                .build();
    }

    /** Exactly one of output and failure is set. */
    public record Outcome<O>(O output, ImageFailed failure) {
        /** The failure's error code, or null for an output (how metrics count outcomes). */
        public String errorCode() {
            return failure == null ? null : String.valueOf(failure.getErrorCode());
        }
    }
}
