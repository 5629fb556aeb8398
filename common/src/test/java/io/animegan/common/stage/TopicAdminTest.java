package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.storage.BlobStore.Patience;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * How start-up waits for a broker that accepts connections but is slow to answer: asked again with
 * the outage backoff rather than given up after one timeout. The attempts stand in for the admin
 * calls (a broker cannot be made slow on demand); a real broker is used by every integration test.
 */
class TopicAdminTest {

    /** Short delays and bound so the test stays fast; the shape of the policy is that of STAGE. */
    private static final Patience QUICK = new Patience(
            -1, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(500), Duration.ofSeconds(1));

    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void aBrokerThatTimesOutTwiceIsAskedAgainUntilItAnswers() {
        TopicAdmin.untilAnswered("localhost:9092", QUICK, () -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new TimeoutException("Timed out waiting for a node assignment");
            }
        });

        assertThat(attempts).hasValue(3);
    }

    @Test
    void aBrokerThatNeverAnswersStopsStartUpWithinThePatienceNamingIt() {
        assertThatThrownBy(() -> TopicAdmin.untilAnswered("localhost:9092", QUICK, () -> {
                    attempts.incrementAndGet();
                    throw new TimeoutException("Timed out waiting for a node assignment");
                }))
                .isInstanceOf(KafkaUnreachableException.class)
                .hasMessageContaining("localhost:9092")
                .hasMessageContaining("did not answer")
                .hasMessageContaining("no answer");
        assertThat(attempts.get()).isGreaterThan(2);
    }

    @Test
    void aRefusalIsNotAskedAgain() {
        assertThatThrownBy(() -> TopicAdmin.untilAnswered("localhost:9092", QUICK, () -> {
                    attempts.incrementAndGet();
                    throw new AuthorizationException("Cluster authorization failed");
                }))
                .isInstanceOf(AuthorizationException.class);
        assertThat(attempts).hasValue(1);
    }
}
