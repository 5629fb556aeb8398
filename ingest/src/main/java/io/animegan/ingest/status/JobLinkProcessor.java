package io.animegan.ingest.status;

import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobProgress;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the stage events of pictures that belong to a job into {@link JobProgress} events keyed by
 * job id (the job topic then brings one job's events to one task). Only ImageSubmitted names the
 * job, so the picture's job is remembered in {@link StatusTopology#IMAGE_JOBS} for its final
 * event; a final event read before its submission waits there until the submission arrives.
 */
final class JobLinkProcessor implements Processor<String, Object, String, JobProgress> {

  /** Prefix of a remembered final outcome whose submission has not been read yet. */
  private static final String EARLY = "!";

  private ProcessorContext<String, JobProgress> context;
  private KeyValueStore<String, String> imageJobs;

  @Override
  public void init(ProcessorContext<String, JobProgress> context) {
    this.context = context;
    this.imageJobs = context.getStateStore(StatusTopology.IMAGE_JOBS);
  }

  @Override
  public void process(Record<String, Object> record) {
    Object event = record.value();
    if (event instanceof ImageSubmitted e && e.getJobId() != null) {
      submitted(e, record.timestamp());
    } else if (event instanceof ImageCompleted e) {
      finished(e.getImageId(), JobStatus.DONE, e.getCompletedAtMs() > 0 ? e.getCompletedAtMs() : record.timestamp());
    } else if (event instanceof ImageFailed e) {
      finished(e.getImageId(), JobStatus.FAILED, record.timestamp());
    }
  }

  private void submitted(ImageSubmitted e, long timestamp) {
    String early = imageJobs.get(e.getImageId());
    String link = e.getJobId() + "\n" + e.getJobSize();
    imageJobs.put(e.getImageId(), link);
    forward(e.getJobId(), e.getImageId(), e.getJobSize(), JobStatus.PENDING, e.getTrace().getSubmittedAtMs(), timestamp);
    if (early != null && early.startsWith(EARLY)) {
      String[] parts = early.substring(1).split("\n");
      forward(e.getJobId(), e.getImageId(), e.getJobSize(), parts[0], Long.parseLong(parts[1]), timestamp);
    }
  }

  private void finished(String imageId, String outcome, long atMs) {
    String link = imageJobs.get(imageId);
    if (link == null) {
      // Most pictures belong to no job; the mark costs one small entry and catches the rare early final.
      imageJobs.put(imageId, EARLY + outcome + "\n" + atMs);
    } else if (!link.startsWith(EARLY)) {
      String[] parts = link.split("\n");
      forward(parts[0], imageId, Integer.parseInt(parts[1]), outcome, atMs, context.currentSystemTimeMs());
    }
  }

  private void forward(String jobId, String imageId, int jobSize, String outcome, long atMs, long timestamp) {
    context.forward(new Record<>(jobId, new JobProgress(jobId, imageId, jobSize, outcome, atMs), timestamp));
  }
}
