package io.animegan.status;

import io.animegan.common.storage.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of clips, as {@link RetentionProcessor} does it for pictures and on the same
 * schedule: every status change is indexed by its last update ({@link StatusTopology#VIDEOS_BY_UPDATE});
 * a finished clip's drawn segments ({@code work/<id>/}) are deleted in the background; a clip last
 * changed longer ago than the retention loses its objects under the same prefixes as a picture's,
 * then its status. Tenants' stored bytes count the original and the result: added as they are
 * folded, subtracted when the clip expires (forwarded, keyed by tenant).
 */
final class VideoRetentionProcessor implements Processor<String, VideoChange, String, Long> {

    private static final Logger log = LoggerFactory.getLogger(VideoRetentionProcessor.class);

    private final StatusSettings settings;
    private final BackgroundDeletions clips;
    private final BackgroundDeletions intermediates;
    private ProcessorContext<String, Long> context;
    private TimestampedKeyValueStore<String, VideoChange> videos;
    private KeyValueStore<String, String> byUpdate;
    private KeyValueStore<String, Long> workCleanup;
    private long lastScanMs;

    VideoRetentionProcessor(StatusSettings settings, PrefixDeleter blobs, Executor executor) {
        this.settings = settings;
        this.clips = new BackgroundDeletions("video retention", blobs, executor);
        this.intermediates = new BackgroundDeletions("video work cleanup", blobs, executor);
    }

    @Override
    public void init(ProcessorContext<String, Long> context) {
        this.context = context;
        videos = context.getStateStore(StatusTopology.VIDEOS);
        byUpdate = context.getStateStore(StatusTopology.VIDEOS_BY_UPDATE);
        workCleanup = context.getStateStore(StatusTopology.VIDEO_WORK_CLEANUP);
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, VideoChange> record) {
        VideoChange change = record.value();
        if (!change.changed()) {
            return;
        }
        String id = record.key();
        if (change.before() != null && change.before().updatedAtMs() != null) {
            byUpdate.delete(RetentionProcessor.indexKey(change.before().updatedAtMs(), id));
        }
        byUpdate.put(RetentionProcessor.indexKey(change.after().updatedAtMs(), id), id);
        if (change.becameFinal()) {
            workCleanup.put(id, context.currentSystemTimeMs());
        }
        long added = change.addedBytes();
        if (added != 0) {
            context.forward(new Record<>(change.after().owner(), added, record.timestamp()));
        }
    }

    private void punctuate(long nowMs) {
        cleanWork();
        if (nowMs - lastScanMs >= settings.retentionScan().toMillis()) {
            lastScanMs = nowMs;
            expire(nowMs - settings.retention().toMillis(), nowMs);
        }
    }

    private void cleanWork() {
        int submitted = 0;
        try (KeyValueIterator<String, Long> it = workCleanup.all()) {
            while (it.hasNext() && submitted < RetentionProcessor.CLEANUP_CHUNK) {
                String id = it.next().key;
                if (!intermediates.submit(id, List.of(Keys.workPrefix(id)))) {
                    break;
                }
                submitted++;
            }
        }
        intermediates.drainDeleted().forEach(workCleanup::delete);
    }

    private void expire(long cutoff, long nowMs) {
        int submitted = 0;
        List<String> orphans = new ArrayList<>();
        try (KeyValueIterator<String, String> it = byUpdate.range(null, RetentionProcessor.indexKey(cutoff, ""))) {
            while (it.hasNext() && submitted < RetentionProcessor.CHUNK) {
                KeyValue<String, String> entry = it.next();
                if (status(entry.value) == null) {
                    orphans.add(entry.key); // its status is gone already
                } else if (clips.submit(entry.value, Keys.imagePrefixes(entry.value))) {
                    submitted++;
                } else {
                    break;
                }
            }
        }
        orphans.forEach(byUpdate::delete);
        List<String> gone = clips.drainDeleted();
        gone.forEach(id -> forget(id, cutoff, nowMs));
        if (!gone.isEmpty()) {
            log.info(
                    "retention: deleted {} clips and their objects, last updated over {} ago",
                    gone.size(),
                    settings.retention());
        }
    }

    /** Deletes the status whose objects are gone, unless it changed after they were queued for deletion. */
    private void forget(String id, long cutoff, long nowMs) {
        VideoStatus status = status(id);
        if (status == null) {
            return;
        }
        if (status.updatedAtMs() != null) {
            if (status.updatedAtMs() >= cutoff) {
                return;
            }
            byUpdate.delete(RetentionProcessor.indexKey(status.updatedAtMs(), id));
        }
        videos.delete(id);
        if (status.owner() != null && status.storedBytes() > 0) {
            context.forward(new Record<>(status.owner(), -status.storedBytes(), nowMs));
        }
    }

    private VideoStatus status(String id) {
        VideoChange stored = ValueAndTimestamp.getValueOrNull(videos.get(id));
        return stored == null ? null : stored.after();
    }
}
