package io.animegan.ingest;

import io.animegan.status.ImageStatus;
import io.animegan.status.StatusStore;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the web page's live routes need from the status store: one image's status, and every
 * status change of any image as it happens. Kept this small so the store behind it can change.
 */
public interface StatusFeed {

  Optional<ImageStatus> get(String imageId);

  /** Calls {@code listener} with every changed status until the returned handle is closed; keep it quick. */
  AutoCloseable subscribe(Consumer<ImageStatus> listener);

  static StatusFeed of(StatusStore statuses) {
    return new StatusFeed() {
      @Override
      public Optional<ImageStatus> get(String imageId) {
        return statuses.find(imageId);
      }

      @Override
      public AutoCloseable subscribe(Consumer<ImageStatus> listener) {
        return statuses.subscribe(listener);
      }
    };
  }
}
