package io.animegan.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheShortFormsAndIso8601() {
        assertThat(Durations.parse("900ms")).isEqualTo(Duration.ofMillis(900));
        assertThat(Durations.parse("900s")).isEqualTo(Duration.ofSeconds(900));
        assertThat(Durations.parse(" 15m ")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("p30d")).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void refusesAnythingElseNamingTheValue() {
        for (String bad : List.of("", "15", "15x", "m", "-5m", "soon", "thirty days", "1w")) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> Durations.parsePositive("0s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parsePositive("PT-1S")).isInstanceOf(IllegalArgumentException.class);
    }
}
