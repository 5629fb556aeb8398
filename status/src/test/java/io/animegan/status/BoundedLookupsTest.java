package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BoundedLookupsTest {

    @Test
    void aLookupThatHangsIsUnavailableAndFreesItsCaller() {
        CountDownLatch held = new CountDownLatch(1);
        try (BoundedLookups lookups = new BoundedLookups(Duration.ofMillis(200))) {
            // The latch stands for a store lock the stream thread keeps while the broker is away.
            assertThatThrownBy(() -> lookups.call("looking up a", () -> waitFor(held)))
                    .isInstanceOf(StatusUnavailableException.class)
                    .hasMessageContaining("looking up a")
                    .hasMessageContaining("did not answer");
            held.countDown();
        }
    }

    @Test
    void answersAndOwnExceptionsPassThrough() {
        try (BoundedLookups lookups = new BoundedLookups(Duration.ofSeconds(5))) {
            assertThat(lookups.call("looking up b", () -> 42)).isEqualTo(42);
            assertThatThrownBy(() -> lookups.call("looking up c", () -> {
                        throw new StatusUnavailableException("status store is REBALANCING");
                    }))
                    .isInstanceOf(StatusUnavailableException.class)
                    .hasMessage("status store is REBALANCING");
        }
    }

    private static int waitFor(CountDownLatch latch) {
        try {
            latch.await();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
