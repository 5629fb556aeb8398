package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusSettingsTest {

    @Test
    void scansAtHalfTheRetentionAndAtLeastEveryMinute() {
        assertThat(StatusSettings.defaults().retention()).isEqualTo(Duration.ofDays(30));
        assertThat(StatusSettings.defaults().retentionScan()).isEqualTo(Duration.ofMinutes(1));
        assertThat(StatusSettings.withRetention(Duration.ofSeconds(2)).retentionScan())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> StatusSettings.withRetention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
