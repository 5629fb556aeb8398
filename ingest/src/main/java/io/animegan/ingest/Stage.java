package io.animegan.ingest;

import java.util.List;
import java.util.Locale;

/**
 * Where an image is in the pipeline, as the web page shows it, with how far along that is (0..100)
 * for its progress bar. Derived from the latest event seen for the image.
 */
public enum Stage {
  QUEUED(10),
  FACES(40),
  STYLIZED(75),
  DONE(100),
  FAILED(100);

  private final int progress;

  Stage(int progress) {
    this.progress = progress;
  }

  public int progress() {
    return progress;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Stage of(ImageStatus status) {
    return switch (status.phase()) {
      case DONE -> DONE;
      case FAILED -> FAILED;
      default -> reached(status.detailRank());
    };
  }

  /** The last stage finished, from the pipeline position of the latest event (a failed image's too). */
  public static Stage reached(int detailRank) {
    return detailRank >= StatusBook.RANK_STYLIZED ? STYLIZED : detailRank == StatusBook.RANK_FACES ? FACES : QUEUED;
  }

  /** The pipeline stages (trace names) still ahead of an image in this stage. */
  public List<String> remainingStages() {
    return switch (this) {
      case QUEUED -> List.of("face", "stylize", "blend");
      case FACES -> List.of("stylize", "blend");
      case STYLIZED -> List.of("blend");
      case DONE, FAILED -> List.of();
    };
  }
}
