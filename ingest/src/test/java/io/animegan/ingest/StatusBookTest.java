package io.animegan.ingest;

import static io.animegan.ingest.TestEvents.SUBMITTED_AT;
import static io.animegan.ingest.TestEvents.completed;
import static io.animegan.ingest.TestEvents.failed;
import static io.animegan.ingest.TestEvents.facesDetected;
import static io.animegan.ingest.TestEvents.ref;
import static io.animegan.ingest.TestEvents.stylized;
import static io.animegan.ingest.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.ingest.ApiViews.StatusView;
import io.animegan.ingest.ImageStatus.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBookTest {

  private final StatusBook book = new StatusBook();

  private ImageStatus status(String id) {
    return book.get(id).orElseThrow();
  }

  @Test
  void followsAnImageThroughThePipeline() {
    book.apply(submitted("a", "cat.jpg"), SUBMITTED_AT);
    assertThat(status("a").phase()).isEqualTo(Phase.QUEUED);
    assertThat(status("a").name()).isEqualTo("cat.jpg");
    assertThat(status("a").faces()).isNull();
    assertThat(status("a").faceDetails()).isEmpty();

    book.apply(facesDetected("a", 2, 4000, 3000), SUBMITTED_AT);
    assertThat(status("a").phase()).isEqualTo(Phase.PROCESSING);
    assertThat(status("a").faces()).isEqualTo(2);
    assertThat(status("a").width()).isEqualTo(4000);
    assertThat(status("a").faceDetails()).hasSize(2);
    assertThat(status("a").faceDetails().get(1).box()).containsExactly(11f, 20f, 111f, 140f);
    assertThat(status("a").faceDetails().get(0).regions()).containsExactly("skin", "hair");

    book.apply(stylized("a", 2, 1920, 1440), SUBMITTED_AT);
    assertThat(status("a").phase()).isEqualTo(Phase.PROCESSING);
    assertThat(status("a").width()).isEqualTo(1920);

    book.apply(completed("a", ref("results/a/anime.png"), "image/png", 2, 1920, 1440), SUBMITTED_AT + 9_000);
    ImageStatus done = status("a");
    assertThat(done.phase()).isEqualTo(Phase.DONE);
    assertThat(done.result()).isEqualTo(ref("results/a/anime.png"));
    assertThat(done.resultContentType()).isEqualTo("image/png");
    assertThat(done.error()).isNull();

    StatusView view = StatusView.of(done);
    assertThat(view.status()).isEqualTo("done");
    assertThat(view.timings()).containsEntry("ingest", 5L).containsEntry("face", 300L)
        .containsEntry("stylize", 2000L).containsEntry("blend", 400L).containsEntry("total", 9_000L);
    assertThat(view.timings().keySet()).startsWith("ingest").endsWith("total");
  }

  @Test
  void outOfOrderEventsNeverMoveBackwards() {
    book.apply(completed("b", ref("results/b/anime.png"), "image/png", 1, 800, 600), SUBMITTED_AT + 5_000);
    book.apply(stylized("b", 1, 1000, 1000), SUBMITTED_AT);
    book.apply(facesDetected("b", 3, 2000, 2000), SUBMITTED_AT);
    book.apply(submitted("b", "late.png"), SUBMITTED_AT);

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
    book.apply(stylized("c", 1, 1920, 1080), SUBMITTED_AT);
    book.apply(facesDetected("c", 1, 3840, 2160), SUBMITTED_AT);
    assertThat(status("c").phase()).isEqualTo(Phase.PROCESSING);
    assertThat(status("c").width()).isEqualTo(1920);
  }

  @Test
  void failureIsFinalAndReportsStageCodeAndMessage() {
    book.apply(submitted("d", "broken.jpg"), SUBMITTED_AT);
    book.apply(facesDetected("d", 1, 640, 480), SUBMITTED_AT);
    book.apply(failed("d", "stylize", "MODEL_ERROR", "generator crashed"), SUBMITTED_AT + 100);
    book.apply(stylized("d", 1, 640, 480), SUBMITTED_AT);
    book.apply(completed("d", ref("results/d/anime.png"), "image/png", 1, 640, 480), SUBMITTED_AT + 200);

    ImageStatus s = status("d");
    assertThat(s.phase()).isEqualTo(Phase.FAILED);
    assertThat(s.error()).isEqualTo("stylize: MODEL_ERROR: generator crashed");
    assertThat(s.faces()).isEqualTo(1);
    assertThat(s.result()).isNull();
    assertThat(StatusView.of(s).timings()).doesNotContainKey("total");
  }

  @Test
  void reportsOnlyChanges() {
    assertThat(book.apply(submitted("e", "x.jpg"), SUBMITTED_AT)).isPresent();
    assertThat(book.apply(submitted("e", "x.jpg"), SUBMITTED_AT)).isEmpty();
    assertThat(book.apply(facesDetected("e", 0, 10, 10), SUBMITTED_AT)).hasValueSatisfying(
        s -> assertThat(s.faces()).isZero());
    assertThat(book.size()).isEqualTo(1);
  }

  @Test
  void totalIsNeverShorterThanTheStagesThemselves() {
    // Kafka Streams stamps an output with its input's timestamp: a completion stamped at
    // submission time must still report at least the stages' own time.
    book.apply(completed("f", ref("results/f/anime.png"), "image/png", 0, 10, 10), SUBMITTED_AT);
    assertThat(StatusView.of(status("f")).timings()).containsEntry("total", 5L + 300 + 2000 + 400);
  }

  @Test
  void refusesWhatIsNotAnEvent() {
    assertThatThrownBy(() -> book.apply("hello", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(book.get("nothing")).isEmpty();
    assertThat(List.of(Phase.values())).extracting(Phase::label).containsExactly("queued", "processing", "done", "failed");
  }
}
