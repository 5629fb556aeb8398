package io.animegan.common.stage;

/**
 * What one stage does to one event, as a plain function: the Kafka topology calls it, and so can a
 * test or a batch job without Kafka.
 *
 * <p>Throws {@link StageException} for a picture that cannot be processed (it becomes an
 * ImageFailed event); a {@link io.animegan.common.storage.StorageException} is transient and makes
 * Kafka Streams retry the record.
 */
@FunctionalInterface
public interface StageProcessor<I, O> {
  O process(I event);
}
