package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofHours(1));

    @Test
    void doublesFromTheFirstWaitUpToTheLongest() {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(5_000);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(10_000);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(80_000);
        assertThat(backoff.ceilingMillis(10)).isEqualTo(2_560_000);
        assertThat(backoff.ceilingMillis(11)).isEqualTo(3_600_000);
        assertThat(backoff.ceilingMillis(1_000)).as("no overflow").isEqualTo(3_600_000);
    }

    @Test
    void eachWaitLiesBetweenHalfAndAllOfItsCeiling() {
        RandomGenerator random = new SplittableRandom(7);
        for (int attempts = 1; attempts <= 20; attempts++) {
            long ceiling = backoff.ceilingMillis(attempts);
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long wait = backoff.after(attempts, random).toMillis();
                assertThat(wait).isBetween(ceiling / 2, ceiling);
                min = Math.min(min, wait);
                max = Math.max(max, wait);
            }
            assertThat(max - min).as("jittered at attempt " + attempts).isGreaterThan(ceiling / 4);
        }
    }

    @Test
    void refusesAnInvertedRange() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
