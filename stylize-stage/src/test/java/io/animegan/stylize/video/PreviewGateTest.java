package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PreviewGateTest {

    @Test
    void segmentsWaitWhileAnyPreviewIsDrawn() {
        PreviewGate gate = new PreviewGate();
        gate.awaitNoPreview(); // no preview: no wait
        gate.enter();
        gate.enter();
        CompletableFuture<Void> segment = CompletableFuture.runAsync(gate::awaitNoPreview);
        gate.leave();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !segment.isDone());
        gate.leave();
        await().atMost(Duration.ofSeconds(5)).until(segment::isDone);
        assertThat(segment).isCompleted();
    }
}
