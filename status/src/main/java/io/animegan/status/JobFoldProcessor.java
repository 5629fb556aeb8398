package io.animegan.status;

import io.animegan.events.JobCompleted;
import io.animegan.events.JobProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds job progress into the {@link StatusTopology#JOBS} store and, the first time every picture
 * of a job is done or failed, writes its {@link JobCompleted} event. The store marks the job as
 * announced in the same transaction (exactly-once), so the event is written once. Announced jobs
 * are deleted once their last picture finished longer ago than the status retention: first the
 * {@link JobRecord} ingest stored (in the background), then, at a later scan, the folded job, so
 * a job never reads as queued again from a record left behind.
 */
final class JobFoldProcessor implements Processor<String, JobProgress, String, JobCompleted> {

  private final Duration retention;
  private final Duration scanInterval;
  private final BackgroundDeletions records;
  private ProcessorContext<String, JobCompleted> context;
  private KeyValueStore<String, JobStatus> jobs;

  JobFoldProcessor(Duration retention, Duration scanInterval, PrefixDeleter blobs, Executor executor) {
    this.retention = retention;
    this.scanInterval = scanInterval;
    this.records = new BackgroundDeletions("job retention", blobs, executor);
  }

  @Override
  public void init(ProcessorContext<String, JobCompleted> context) {
    this.context = context;
    this.jobs = context.getStateStore(StatusTopology.JOBS);
    context.schedule(scanInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  private void expire(long nowMs) {
    long cutoff = nowMs - retention.toMillis();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, JobStatus> it = jobs.all()) {
      it.forEachRemaining(entry -> {
        JobStatus job = entry.value;
        if (job.announced() && job.lastFinishedAtMs() != null && job.lastFinishedAtMs() < cutoff) {
          expired.add(entry.key);
        }
      });
    }
    for (String jobId : expired) {
      // A job folded from events no ingest wrote has no record and an id of no shape: nothing to delete.
      List<String> prefixes = JobRecord.isJobId(jobId) ? List.of(JobRecord.prefix(jobId)) : List.of();
      if (!records.submit(jobId, prefixes)) {
        break; // the deletion queue is full: the rest waits for the next scan
      }
    }
    records.drainDeleted().forEach(jobs::delete);
  }

  @Override
  public void process(Record<String, JobProgress> record) {
    JobProgress progress = record.value();
    if (progress == null) {
      return;
    }
    String jobId = progress.getJobId();
    JobStatus before = jobs.get(jobId);
    JobStatus after = (before != null ? before : JobStatus.empty(jobId))
        .with(progress.getImageId(), progress.getOutcome(), progress.getJobSize(), progress.getAtMs())
        .ownedBy(progress.getTenant());
    if (after.isFinished() && !after.announced()) {
      after = after.announcedNow();
      context.forward(new Record<>(jobId, completed(after), record.timestamp()));
    }
    if (!after.equals(before)) {
      jobs.put(jobId, after);
    }
  }

  private static JobCompleted completed(JobStatus job) {
    return new JobCompleted(job.id(), job.total(), job.done(), job.failed(), job.imageIds(),
        job.submittedAtMs() == null ? 0L : job.submittedAtMs(),
        job.lastFinishedAtMs() == null ? 0L : job.lastFinishedAtMs());
  }
}
