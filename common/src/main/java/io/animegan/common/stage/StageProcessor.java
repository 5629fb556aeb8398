package io.animegan.common.stage;

/**
 * What one stage does to one event, as a plain function: the Kafka topology calls it, and so can a
 * test or a batch job without Kafka.
 *
 * <p>Throws {@link StageException} for a picture that cannot be processed (it becomes an
 * ImageFailed event); a {@link io.animegan.common.storage.StorageException} is transient and makes
 * Kafka Streams retry the record.
 *
 * <p>A processor owns what it loaded to do its work (ONNX sessions, reused buffers) and releases
 * it in {@link #close()}, once nothing calls {@link #process} any more.
 */
@FunctionalInterface
public interface StageProcessor<I, O> extends AutoCloseable {
    O process(I event);

    /** Releases the processor's native resources; nothing by default. */
    @Override
    default void close() {}
}
