package io.animegan.events;

import java.util.List;

/** One serde per event type. Each lists the older schema versions its readers still accept. */
public final class EventSerdes {

    private EventSerdes() {}

    public static EventSerde<ImageSubmitted> imageSubmitted() {
        return new EventSerde<>(
                ImageSubmitted.class,
                ImageSubmitted.getClassSchema(),
                List.of(
                        "ImageSubmitted-v1.avsc",
                        "ImageSubmitted-v2.avsc",
                        "ImageSubmitted-v3.avsc",
                        "ImageSubmitted-v4.avsc",
                        "ImageSubmitted-v5.avsc",
                        "ImageSubmitted-v6.avsc"));
    }

    public static EventSerde<FacesDetected> facesDetected() {
        return new EventSerde<>(
                FacesDetected.class,
                FacesDetected.getClassSchema(),
                List.of("FacesDetected-v1.avsc", "FacesDetected-v2.avsc", "FacesDetected-v3.avsc"));
    }

    public static EventSerde<ImageStylized> imageStylized() {
        return new EventSerde<>(
                ImageStylized.class,
                ImageStylized.getClassSchema(),
                List.of("ImageStylized-v1.avsc", "ImageStylized-v2.avsc", "ImageStylized-v3.avsc"));
    }

    public static EventSerde<ImageCompleted> imageCompleted() {
        return new EventSerde<>(
                ImageCompleted.class,
                ImageCompleted.getClassSchema(),
                List.of(
                        "ImageCompleted-v1.avsc",
                        "ImageCompleted-v2.avsc",
                        "ImageCompleted-v3.avsc",
                        "ImageCompleted-v4.avsc"));
    }

    public static EventSerde<ImageFailed> imageFailed() {
        return new EventSerde<>(ImageFailed.class, ImageFailed.getClassSchema(), List.of());
    }

    public static EventSerde<JobProgress> jobProgress() {
        return new EventSerde<>(
                JobProgress.class, JobProgress.getClassSchema(), List.of("JobProgress-v1.avsc", "JobProgress-v2.avsc"));
    }

    public static EventSerde<JobCompleted> jobCompleted() {
        return new EventSerde<>(JobCompleted.class, JobCompleted.getClassSchema(), List.of("JobCompleted-v1.avsc"));
    }

    public static EventSerde<WebhookDelivery> webhookDelivery() {
        return new EventSerde<>(WebhookDelivery.class, WebhookDelivery.getClassSchema(), List.of());
    }

    public static EventSerde<VideoSubmitted> videoSubmitted() {
        return new EventSerde<>(VideoSubmitted.class, VideoSubmitted.getClassSchema(), List.of());
    }

    public static EventSerde<VideoPlanned> videoPlanned() {
        return new EventSerde<>(VideoPlanned.class, VideoPlanned.getClassSchema(), List.of());
    }

    public static EventSerde<SegmentRequested> segmentRequested() {
        return new EventSerde<>(SegmentRequested.class, SegmentRequested.getClassSchema(), List.of());
    }

    public static EventSerde<SegmentDrawn> segmentDrawn() {
        return new EventSerde<>(SegmentDrawn.class, SegmentDrawn.getClassSchema(), List.of());
    }

    public static EventSerde<VideoCompleted> videoCompleted() {
        return new EventSerde<>(VideoCompleted.class, VideoCompleted.getClassSchema(), List.of());
    }

    public static EventSerde<VideoFailed> videoFailed() {
        return new EventSerde<>(VideoFailed.class, VideoFailed.getClassSchema(), List.of());
    }

    /** The status app's stored image status (not an event on a topic: the value of its statuses store). */
    public static EventSerde<StoredImageStatus> storedImageStatus() {
        return new EventSerde<>(
                StoredImageStatus.class, StoredImageStatus.getClassSchema(), List.of("StoredImageStatus-v1.avsc"));
    }

    /** The status app's stored video status (the value of its videos store). */
    public static EventSerde<StoredVideoStatus> storedVideoStatus() {
        return new EventSerde<>(StoredVideoStatus.class, StoredVideoStatus.getClassSchema(), List.of());
    }

    /** The status app's stored job (the value of its jobs store). */
    public static EventSerde<StoredJob> storedJob() {
        return new EventSerde<>(StoredJob.class, StoredJob.getClassSchema(), List.of("StoredJob-v1.avsc"));
    }

    /** face-stage's analysis shared by the pictures of one face group (the value of its analyses store). */
    public static EventSerde<StoredFaceAnalysis> storedFaceAnalysis() {
        return new EventSerde<>(
                StoredFaceAnalysis.class, StoredFaceAnalysis.getClassSchema(), List.of("StoredFaceAnalysis-v1.avsc"));
    }
}
