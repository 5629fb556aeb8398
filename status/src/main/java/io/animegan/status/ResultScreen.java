package io.animegan.status;

import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the event topics and the folds: a completion whose result ingest would not serve
 * ({@link ServedResults}) is folded as a failure of stage {@link #STAGE} with code
 * {@link ServedResults#FORBIDDEN_RESULT}, so the picture (and its job) ends failed with a clear
 * error instead of done with someone else's object behind it. Every other event passes as is.
 */
final class ResultScreen implements Processor<String, Object, String, Object> {

  private static final Logger log = LoggerFactory.getLogger(ResultScreen.class);
  static final String STAGE = "ingest";

  private final String bucket;
  private ProcessorContext<String, Object> context;

  ResultScreen(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof ImageCompleted e) {
      Optional<String> refusal = ServedResults.refusal(e.getImageId(), e.getResult(), e.getContentType(), bucket);
      if (refusal.isPresent()) {
        log.warn("image {}: completion refused: {}", e.getImageId(), refusal.get());
        context.forward(record.withValue(failure(e, refusal.get())));
        return;
      }
    }
    context.forward(record);
  }

  private static ImageFailed failure(ImageCompleted e, String reason) {
    return ImageFailed.newBuilder()
        .setImageId(e.getImageId())
        .setStage(STAGE)
        .setErrorCode(ServedResults.FORBIDDEN_RESULT)
        .setMessage("the completion event was refused: " + reason)
        .setTrace(e.getTrace())
        .build();
  }
}
