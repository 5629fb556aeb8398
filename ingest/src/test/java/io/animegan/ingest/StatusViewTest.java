package io.animegan.ingest;

import static io.animegan.status.TestEvents.SUBMITTED_AT;
import static io.animegan.status.TestEvents.completed;
import static io.animegan.status.TestEvents.facesDetected;
import static io.animegan.status.TestEvents.failed;
import static io.animegan.status.TestEvents.ref;
import static io.animegan.status.TestEvents.stylized;
import static io.animegan.status.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.ingest.ApiViews.StatusView;
import io.animegan.status.ImageStatus;
import io.animegan.status.StatusFold;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the API shows a folded status (the fold itself is tested in the status module's StatusFoldTest). */
class StatusViewTest {

    private static ImageStatus fold(String id, List<Object> events, List<Long> timestamps) {
        ImageStatus s = ImageStatus.unknown(id);
        for (int i = 0; i < events.size(); i++) {
            s = StatusFold.apply(s, events.get(i), timestamps.get(i));
        }
        return s;
    }

    @Test
    void doneShowsItsTimingsIngestFirstAndTotalLast() {
        ImageStatus done = fold(
                "a",
                List.of(
                        submitted("a", "cat.jpg"),
                        facesDetected("a", 2, 4000, 3000),
                        stylized("a", 2, 1920, 1440),
                        completed("a", ref("results/a/anime.png"), "image/png", 2, 1920, 1440)),
                List.of(SUBMITTED_AT, SUBMITTED_AT, SUBMITTED_AT, SUBMITTED_AT + 9_000));

        StatusView view = StatusView.of(done);
        assertThat(view.status()).isEqualTo("done");
        assertThat(view.stage()).isEqualTo("done");
        assertThat(view.timings())
                .containsEntry("ingest", 5L)
                .containsEntry("face", 300L)
                .containsEntry("stylize", 2000L)
                .containsEntry("blend", 400L)
                .containsEntry("total", 9_000L);
        assertThat(view.timings().keySet()).startsWith("ingest").endsWith("total");
    }

    @Test
    void failedShowsStageFailedAndNoTotal() {
        ImageStatus failed = fold(
                "d",
                List.of(
                        submitted("d", "broken.jpg"),
                        facesDetected("d", 1, 640, 480),
                        failed("d", "stylize", "MODEL_ERROR", "generator crashed")),
                List.of(SUBMITTED_AT, SUBMITTED_AT, SUBMITTED_AT + 100));

        assertThat(StatusView.of(failed).stage()).isEqualTo("failed");
        assertThat(StatusView.of(failed).timings()).doesNotContainKey("total");
    }
}
