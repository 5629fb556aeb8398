package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --onnx-arena} as picocli parses it: the arenas keep their buffers unless told to shrink. */
class OnnxArenaOptionTest {

    private static OnnxArenaOption stage(String... args) {
        StageCommand stage = new StageCommand();
        new CommandLine(stage).parseArgs(args);
        return stage.arena;
    }

    @Test
    void arenasKeepTheirBuffersByDefault() {
        OnnxArenaOption byDefault = stage("stylize");
        assertThat(byDefault.arena).isEqualTo(OnnxArenaOption.Arena.keep);
        assertThat(byDefault.shrinks()).isFalse();
    }

    @Test
    void shrinkIsAskedFor() {
        assertThat(stage("stylize", "--onnx-arena", "shrink").shrinks()).isTrue();
    }

    @Test
    void runHasTheOptionToo() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--onnx-arena", "shrink");
        assertThat(run.arena.shrinks()).isTrue();
    }
}
