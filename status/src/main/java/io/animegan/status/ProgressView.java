package io.animegan.status;

import io.animegan.status.ImageStatus.Stage;
import io.animegan.status.QueueEstimator.Estimate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One image's progress as the page shows it.
 *
 * @param status queued, processing, done or failed (as {@code GET /api/images/{id}})
 * @param stage queued, faces, stylized, done or failed: the latest step finished
 * @param progress 0..100 for the progress bar; a failed image keeps the value it reached
 * @param position place among the waiting images, 1 = next; null once it has started
 * @param etaSeconds estimated seconds until done, from measured times; null when unknown or final
 */
public record ProgressView(
        String id,
        String name,
        String status,
        String stage,
        int progress,
        Integer faces,
        Integer width,
        Integer height,
        String error,
        Map<String, Long> timings,
        Integer position,
        Double etaSeconds) {

    public static ProgressView of(ImageStatus s, Estimate estimate) {
        Stage stage = s.stage();
        int progress = stage == Stage.FAILED ? Stage.reached(s.detailRank()).progress() : stage.progress();
        return new ProgressView(
                        s.id(),
                        s.name(),
                        s.phase().label(),
                        stage.label(),
                        progress,
                        s.faces(),
                        s.width(),
                        s.height(),
                        s.error(),
                        timings(s),
                        null,
                        null)
                .withEstimate(estimate);
    }

    /** The same view with another queue position and estimate. */
    public ProgressView withEstimate(Estimate estimate) {
        Double eta = estimate.etaSeconds() == null ? null : Math.round(estimate.etaSeconds() * 10) / 10.0;
        return new ProgressView(
                id, name, status, stage, progress, faces, width, height, error, timings, estimate.position(), eta);
    }

    public ProgressView withoutEta() {
        return new ProgressView(
                id, name, status, stage, progress, faces, width, height, error, timings, position, null);
    }

    /** Stage times, ingest first, then "total" (completion minus submission) once done. */
    public static Map<String, Long> timings(ImageStatus s) {
        Map<String, Long> timings = new LinkedHashMap<>();
        Map<String, Long> stages = new TreeMap<>(s.stageMs());
        Long ingest = stages.remove("ingest");
        if (ingest != null) {
            timings.put("ingest", ingest);
        }
        timings.putAll(stages);
        Long total = s.totalMs();
        if (total != null) {
            timings.put("total", total);
        }
        return timings;
    }
}
