package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The image-jobs store's entries keep the text layout stores already hold. */
class ImageJobLinkTest {

  @Test
  void readsAndWritesTheStoredLayout() {
    assertThat(ImageJobLink.parse("job-1\n4\n1700000000000"))
        .isEqualTo(new ImageJobLink.Linked("job-1", 4, 1_700_000_000_000L));
    assertThat(ImageJobLink.parse("!done\n1699999999000\n1700000000000"))
        .isEqualTo(new ImageJobLink.Early("done", 1_699_999_999_000L, 1_700_000_000_000L));
    assertThat(new ImageJobLink.Linked("job-1", 4, 7L).encode()).isEqualTo("job-1\n4\n7");
    assertThat(new ImageJobLink.Early("failed", 5L, 7L).encode()).isEqualTo("!failed\n5\n7");
  }
}
