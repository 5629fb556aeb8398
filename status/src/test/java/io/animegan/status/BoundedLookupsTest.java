package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    void answersAndOtherExceptionsPassThroughAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        try (BoundedLookups lookups = new BoundedLookups(StatusService.LOOKUP_TIMEOUT)) {
            assertThat(lookups.call("looking up b", () -> 42)).isEqualTo(42);
            assertThatThrownBy(() -> lookups.call("looking up c", () -> {
                        attempts.incrementAndGet();
                        throw new IllegalArgumentException("not an id");
                    }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not an id");
        }
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aStoreThatBecomesQueryableWithinTheBoundAnswers() {
        // As a store just after start or a rebalance: not queryable for half a second from the first
        // attempt on, then it is.
        AtomicLong queryableAt = new AtomicLong();
        try (BoundedLookups lookups = new BoundedLookups(StatusService.LOOKUP_TIMEOUT)) {
            assertThat(lookups.call("looking up d", () -> {
                        queryableAt.compareAndSet(
                                0, System.nanoTime() + Duration.ofMillis(500).toNanos());
                        if (System.nanoTime() < queryableAt.get()) {
                            throw new StatusUnavailableException("status store is REBALANCING");
                        }
                        return 7L;
                    }))
                    .isEqualTo(7L);
        }
    }

    @Test
    void aStoreThatStaysAwayIsUnavailableWithItsOwnReasonAfterAskingAgain() {
        AtomicInteger attempts = new AtomicInteger();
        try (BoundedLookups lookups = new BoundedLookups(Duration.ofMillis(200))) {
            assertThatThrownBy(() -> lookups.call("looking up e", () -> {
                        attempts.incrementAndGet();
                        throw new StatusUnavailableException("status store is REBALANCING");
                    }))
                    .isInstanceOf(StatusUnavailableException.class)
                    .hasMessage("status store is REBALANCING");
        }
        assertThat(attempts.get()).isGreaterThan(1);
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
