package io.animegan.ingest.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusSettingsTest {

  @Test
  void readsShortAndIsoDurations() {
    assertThat(StatusSettings.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(StatusSettings.parseDuration(" 12h ")).isEqualTo(Duration.ofHours(12));
    assertThat(StatusSettings.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(StatusSettings.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(StatusSettings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(StatusSettings.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(StatusSettings.parseDuration("P30D")).isEqualTo(Duration.ofDays(30));
    for (String bad : new String[] {"", "thirty days", "30", "-1d", "1w"}) {
      assertThatThrownBy(() -> StatusSettings.parseDuration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void scansAtHalfTheRetentionAndAtLeastEveryMinute() {
    assertThat(StatusSettings.defaults().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(StatusSettings.defaults().retentionScan()).isEqualTo(Duration.ofMinutes(1));
    assertThat(StatusSettings.withRetention(Duration.ofSeconds(2)).retentionScan()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> StatusSettings.withRetention(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
