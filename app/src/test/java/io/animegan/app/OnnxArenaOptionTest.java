package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.onnx.ArenaPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --onnx-arena} as picocli parses it: the arenas give their buffers back when idle unless told otherwise. */
class OnnxArenaOptionTest {

    private static OnnxArenaOption stage(String... args) {
        StageCommand stage = new StageCommand();
        new CommandLine(stage).parseArgs(args);
        return stage.arena;
    }

    @Test
    void arenasGiveTheirBuffersBackWhenIdleByDefault() {
        assertThat(stage("stylize").policy()).isEqualTo(ArenaPolicy.RELEASE_WHEN_IDLE);
    }

    @Test
    void keepAndShrinkAreAskedFor() {
        assertThat(stage("stylize", "--onnx-arena", "shrink").policy()).isEqualTo(ArenaPolicy.SHRINK);
        assertThat(stage("stylize", "--onnx-arena", "keep").policy()).isEqualTo(ArenaPolicy.KEEP);
    }

    @Test
    void runHasTheOptionToo() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--onnx-arena", "shrink");
        assertThat(run.arena.policy()).isEqualTo(ArenaPolicy.SHRINK);
    }
}
