package io.animegan.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link StatusStore} for tests of what uses one: statuses put by the test, changes told to listeners. */
public final class InMemoryStatusStore implements StatusStore {

    private final Map<String, ImageStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, JobStatus> jobs = new ConcurrentHashMap<>();
    private final List<Consumer<ImageStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, VideoStatus> videos = new ConcurrentHashMap<>();
    private final List<Consumer<VideoStatus>> videoListeners = new CopyOnWriteArrayList<>();

    /** Stores the status and tells every listener, as a committed change would. */
    public InMemoryStatusStore put(ImageStatus status) {
        statuses.put(status.id(), status);
        listeners.forEach(listener -> listener.accept(status));
        return this;
    }

    /** Stores the clip's status and tells every video listener. */
    public InMemoryStatusStore put(VideoStatus status) {
        videos.put(status.id(), status);
        videoListeners.forEach(listener -> listener.accept(status));
        return this;
    }

    public InMemoryStatusStore put(JobStatus job) {
        jobs.put(job.id(), job);
        return this;
    }

    @Override
    public Optional<ImageStatus> find(String imageId) {
        return Optional.ofNullable(statuses.get(imageId));
    }

    @Override
    public Optional<VideoStatus> findVideo(String videoId) {
        return Optional.ofNullable(videos.get(videoId));
    }

    @Override
    public AutoCloseable subscribeVideos(Consumer<VideoStatus> listener) {
        videoListeners.add(listener);
        return () -> videoListeners.remove(listener);
    }

    @Override
    public Optional<JobStatus> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public long storedBytes(String tenant) {
        return statuses.values().stream()
                .filter(s -> tenant.equals(s.owner()) && s.sizeBytes() != null)
                .mapToLong(ImageStatus::sizeBytes)
                .sum();
    }

    @Override
    public AutoCloseable subscribe(Consumer<ImageStatus> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return true;
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public Owned owned() {
        return new Owned() {
            @Override
            public Optional<byte[]> status(String imageId) {
                return find(imageId).map(StoredStatuses::write);
            }

            @Override
            public Optional<byte[]> job(String jobId) {
                return InMemoryStatusStore.this.job(jobId).map(StoredJobs::write);
            }

            @Override
            public Optional<byte[]> video(String videoId) {
                return findVideo(videoId).map(VideoStatus::write);
            }

            @Override
            public long storedBytes(String tenant) {
                return InMemoryStatusStore.this.storedBytes(tenant);
            }
        };
    }

    @Override
    public void close() {}
}
