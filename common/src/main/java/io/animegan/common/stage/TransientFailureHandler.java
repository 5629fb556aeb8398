package io.animegan.common.stage;

import io.animegan.common.storage.StorageException;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stage does with an exception that escapes its processor. {@link StageTopology} turns
 * every problem of a picture into an ImageFailed event, so what escapes is an outage that outlived
 * the store's retries: fail the task without a dead-letter record (the record is fine; it will be
 * processed again once the thread is replaced, from the last commit, with the open transaction
 * aborted so nothing it wrote is seen twice). Anything else goes to Kafka Streams' own handler,
 * which also writes the dead-letter record when a DLQ topic is configured.
 */
public final class TransientFailureHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(TransientFailureHandler.class);

    private final LogAndFailProcessingExceptionHandler others = new LogAndFailProcessingExceptionHandler();

    @Override
    public void configure(Map<String, ?> configs) {
        others.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof StorageException) {
            log.warn(
                    "storage still unavailable at {} partition {} offset {}: {}; retrying from the last commit",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception.getMessage());
            return Response.fail();
        }
        return others.handleError(context, record, exception);
    }
}
