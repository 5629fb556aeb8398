package io.animegan.status;

import static io.animegan.status.TestEvents.SUBMITTED_AT;
import static io.animegan.status.TestEvents.completed;
import static io.animegan.status.TestEvents.facesDetected;
import static io.animegan.status.TestEvents.failed;
import static io.animegan.status.TestEvents.ref;
import static io.animegan.status.TestEvents.stylized;
import static io.animegan.status.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.ImageStatus.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fold alone, event by event, as the status app applies it per image. */
class StatusFoldTest {

    /** Statuses by id, folded the way the fold processor does it. */
    private final Map<String, ImageStatus> book = new HashMap<>();

    private Optional<ImageStatus> apply(Object event, long timestampMs) {
        String id = StatusFold.imageId(event);
        ImageStatus before = book.get(id);
        ImageStatus after = StatusFold.apply(before != null ? before : ImageStatus.unknown(id), event, timestampMs);
        if (after.equals(before)) {
            return Optional.empty();
        }
        book.put(id, after);
        return Optional.of(after);
    }

    private ImageStatus status(String id) {
        return Optional.ofNullable(book.get(id)).orElseThrow();
    }

    @Test
    void followsAnImageThroughThePipeline() {
        apply(submitted("a", "cat.jpg"), SUBMITTED_AT);
        assertThat(status("a").phase()).isEqualTo(Phase.QUEUED);
        assertThat(status("a").stage()).isEqualTo(Stage.QUEUED);
        assertThat(status("a").name()).isEqualTo("cat.jpg");
        assertThat(status("a").faces()).isNull();
        assertThat(status("a").faceDetails()).isEmpty();

        apply(facesDetected("a", 2, 4000, 3000), SUBMITTED_AT);
        assertThat(status("a").phase()).isEqualTo(Phase.PROCESSING);
        assertThat(status("a").stage()).isEqualTo(Stage.FACES);
        assertThat(status("a").faces()).isEqualTo(2);
        assertThat(status("a").width()).isEqualTo(4000);
        assertThat(status("a").faceDetails()).hasSize(2);
        assertThat(status("a").faceDetails().get(1).box()).containsExactly(11f, 20f, 111f, 140f);
        assertThat(status("a").faceDetails().get(0).regions()).containsExactly("skin", "hair");

        apply(stylized("a", 2, 1920, 1440), SUBMITTED_AT);
        assertThat(status("a").phase()).isEqualTo(Phase.PROCESSING);
        assertThat(status("a").stage()).isEqualTo(Stage.STYLIZED);
        assertThat(status("a").width()).isEqualTo(1920);

        apply(completed("a", ref("results/a/anime.png"), "image/png", 2, 1920, 1440), SUBMITTED_AT + 9_000);
        ImageStatus done = status("a");
        assertThat(done.phase()).isEqualTo(Phase.DONE);
        assertThat(done.result()).isEqualTo(ref("results/a/anime.png"));
        assertThat(done.resultContentType()).isEqualTo("image/png");
        assertThat(done.error()).isNull();

        assertThat(done.stage()).isEqualTo(Stage.DONE);
        assertThat(done.stageMs())
                .containsEntry("face", 300L)
                .containsEntry("stylize", 2000L)
                .containsEntry("blend", 400L);
        assertThat(done.totalMs()).isEqualTo(9_000L);
        // How the API shows these timings (ingest's share first, the total last): ingest's StatusViewTest.
    }

    @Test
    void outOfOrderEventsNeverMoveBackwards() {
        apply(completed("b", ref("results/b/anime.png"), "image/png", 1, 800, 600), SUBMITTED_AT + 5_000);
        apply(stylized("b", 1, 1000, 1000), SUBMITTED_AT);
        apply(facesDetected("b", 3, 2000, 2000), SUBMITTED_AT);
        apply(submitted("b", "late.png"), SUBMITTED_AT);

        ImageStatus s = status("b");
        assertThat(s.phase()).isEqualTo(Phase.DONE);
        assertThat(s.name()).isEqualTo("late.png");
        assertThat(s.faces()).isEqualTo(1);
        assertThat(s.width()).isEqualTo(800);
        assertThat(s.height()).isEqualTo(600);
        assertThat(s.result()).isNotNull();
    }

    @Test
    void stylizedDetailsWinOverEarlierFacesEvenWhenReadFirst() {
        apply(stylized("c", 1, 1920, 1080), SUBMITTED_AT);
        apply(facesDetected("c", 1, 3840, 2160), SUBMITTED_AT);
        assertThat(status("c").phase()).isEqualTo(Phase.PROCESSING);
        assertThat(status("c").width()).isEqualTo(1920);
    }

    @Test
    void failureIsFinalAndReportsStageCodeAndMessage() {
        apply(submitted("d", "broken.jpg"), SUBMITTED_AT);
        apply(facesDetected("d", 1, 640, 480), SUBMITTED_AT);
        apply(failed("d", "stylize", "MODEL_ERROR", "generator crashed"), SUBMITTED_AT + 100);
        apply(stylized("d", 1, 640, 480), SUBMITTED_AT);
        apply(completed("d", ref("results/d/anime.png"), "image/png", 1, 640, 480), SUBMITTED_AT + 200);

        ImageStatus s = status("d");
        assertThat(s.phase()).isEqualTo(Phase.FAILED);
        assertThat(s.stage()).isEqualTo(Stage.FAILED);
        assertThat(s.error()).isEqualTo("stylize: MODEL_ERROR: generator crashed");
        assertThat(s.faces()).isEqualTo(1);
        assertThat(s.result()).isNull();
        assertThat(s.totalMs()).isNull();
    }

    @Test
    void reportsOnlyChanges() {
        assertThat(apply(submitted("e", "x.jpg"), SUBMITTED_AT)).isPresent();
        assertThat(apply(submitted("e", "x.jpg"), SUBMITTED_AT)).isEmpty();
        assertThat(apply(facesDetected("e", 0, 10, 10), SUBMITTED_AT))
                .hasValueSatisfying(s -> assertThat(s.faces()).isZero());
        assertThat(book).hasSize(1);
    }

    @Test
    void totalIsNeverShorterThanTheStagesThemselves() {
        // Kafka Streams stamps an output with its input's timestamp: a completion stamped at
        // submission time must still report at least the stages' own time.
        apply(completed("f", ref("results/f/anime.png"), "image/png", 0, 10, 10), SUBMITTED_AT);
        assertThat(status("f").totalMs()).isEqualTo(5L + 300 + 2000 + 400);
    }

    @Test
    void refusesWhatIsNotAnEvent() {
        assertThatThrownBy(() -> apply("hello", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(Phase.values()))
                .extracting(Phase::label)
                .containsExactly("queued", "processing", "done", "failed");
        assertThat(List.of(Stage.values()))
                .extracting(Stage::label)
                .containsExactly("queued", "faces", "stylized", "done", "failed");
    }

    @Test
    void aPicturesWebhookDeliveryShowsInItsStatusAndNeverGoesBack() {
        apply(submitted("w", "cat.jpg"), SUBMITTED_AT);
        apply(completed("w", ref("results/w/anime.png"), "image/png", 0, 64, 48), SUBMITTED_AT);
        ImageStatus done = status("w");
        assertThat(done.callback()).isNull();

        apply(delivery("w", "pending", 1, 500), SUBMITTED_AT);
        assertThat(status("w").callback()).isEqualTo("pending");
        assertThat(status("w").callbackAttempts()).isEqualTo(1);
        assertThat(status("w").callbackLastStatus()).isEqualTo(500);
        assertThat(status("w").phase())
                .as("the picture's own state is untouched")
                .isEqualTo(Phase.DONE);

        apply(delivery("w", "pending", 2, null), SUBMITTED_AT);
        apply(delivery("w", "delivered", 3, 200), SUBMITTED_AT);
        assertThat(apply(delivery("w", "pending", 2, null), SUBMITTED_AT))
                .as("an older attempt, read again")
                .isEmpty();
        assertThat(apply(delivery("w", "delivered", 3, 200), SUBMITTED_AT))
                .as("a repeat")
                .isEmpty();
        assertThat(status("w").callback()).isEqualTo("delivered");
        assertThat(status("w").callbackAttempts()).isEqualTo(3);
        assertThat(status("w").callbackLastStatus()).isEqualTo(200);
        assertThat(status("w").toBuilder()
                        .callback(null)
                        .callbackAttempts(null)
                        .callbackLastStatus(null)
                        .build())
                .isEqualTo(done);
    }

    private static io.animegan.events.WebhookDelivery delivery(String id, String state, int attempts, Integer status) {
        return new io.animegan.events.WebhookDelivery(
                id, "image.completed", "msg_image_completed_" + id, state, attempts, status, SUBMITTED_AT + attempts);
    }
}
