package io.animegan.status;

import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.JobProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the stage events of pictures that belong to a job into {@link JobProgress} events keyed by
 * job id (the job topic then brings one job's events to one task). Only ImageSubmitted names the
 * job, so the picture's job is remembered in {@link StatusTopology#IMAGE_JOBS} until its final
 * event; a final event read before its submission waits there until the submission arrives. What
 * is left there longer than the status retention (marks of pictures of no job, pictures that never
 * finished) is deleted by a wall-clock scan.
 */
final class JobLinkProcessor implements Processor<String, Object, String, JobProgress> {

  private final Duration retention;
  private final Duration scanInterval;
  private ProcessorContext<String, JobProgress> context;
  private KeyValueStore<String, String> imageJobs;

  JobLinkProcessor(Duration retention, Duration scanInterval) {
    this.retention = retention;
    this.scanInterval = scanInterval;
  }

  @Override
  public void init(ProcessorContext<String, JobProgress> context) {
    this.context = context;
    this.imageJobs = context.getStateStore(StatusTopology.IMAGE_JOBS);
    context.schedule(scanInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  /** Deletes entries stored longer ago than the retention. */
  private void expire(long nowMs) {
    long cutoff = nowMs - retention.toMillis();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, String> it = imageJobs.all()) {
      it.forEachRemaining(entry -> {
        if (ImageJobLink.parse(entry.value).storedAtMs() < cutoff) {
          expired.add(entry.key);
        }
      });
    }
    expired.forEach(imageJobs::delete);
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
    ImageJobLink known = link(e.getImageId());
    forward(e.getJobId(), e.getImageId(), e.getJobSize(), JobStatus.PENDING, e.getTrace().getSubmittedAtMs(), timestamp,
        e.getTenant());
    if (known instanceof ImageJobLink.Early early) {
      forward(e.getJobId(), e.getImageId(), e.getJobSize(), early.outcome(), early.atMs(), timestamp, null);
      imageJobs.delete(e.getImageId());
    } else {
      imageJobs.put(e.getImageId(),
          new ImageJobLink.Linked(e.getJobId(), e.getJobSize(), context.currentSystemTimeMs()).encode());
    }
  }

  private void finished(String imageId, String outcome, long atMs) {
    ImageJobLink known = link(imageId);
    if (known == null) {
      // Most pictures belong to no job; the mark is small, expires with the retention, and catches
      // the rare final event folded before its submission (e.g. while the app catches up).
      imageJobs.put(imageId, new ImageJobLink.Early(outcome, atMs, context.currentSystemTimeMs()).encode());
    } else if (known instanceof ImageJobLink.Linked linked) {
      forward(linked.jobId(), imageId, linked.jobSize(), outcome, atMs, context.currentSystemTimeMs(), null);
      // The job fold counts each picture once, so a repeated final event needs no link any more.
      imageJobs.delete(imageId);
    }
  }

  private ImageJobLink link(String imageId) {
    String stored = imageJobs.get(imageId);
    return stored == null ? null : ImageJobLink.parse(stored);
  }

  /** @param tenant the job's tenant on a submission, null on a finish (the job knows it by then) */
  private void forward(String jobId, String imageId, int jobSize, String outcome, long atMs, long timestamp,
      String tenant) {
    context.forward(new Record<>(jobId, new JobProgress(jobId, imageId, jobSize, outcome, atMs, tenant), timestamp));
  }
}
