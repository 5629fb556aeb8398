package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topics;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner owns its processor: closing the runner closes it, once, after the streams. */
class StageRunnerTest {

    @TempDir
    Path stateDir;

    @Test
    void closingTheRunnerClosesTheProcessor() {
        AtomicInteger closed = new AtomicInteger();
        StageProcessor<ImageSubmitted, FacesDetected> processor = new StageProcessor<>() {
            @Override
            public FacesDetected process(ImageSubmitted event) {
                throw new UnsupportedOperationException("never called: the runner is not started");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        // Nothing listens on port 1: a runner that was never started needs no broker to be closed.
        PipelineConfig config = new PipelineConfig(
                "localhost:1", Topics.withPrefix("", 1, (short) 1), null, stateDir, "unused.onnx", 1, stateDir);
        Topics topics = config.topics();
        StageRunner runner = StageRunner.forStage(
                "runner-test", "face", config, topics.submitted(), topics.facesDetected(), processor);

        runner.close();

        assertThat(closed).hasValue(1);
    }
}
