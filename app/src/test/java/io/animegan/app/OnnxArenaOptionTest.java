package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --onnx-arena} as picocli parses it, and what {@code auto} means with and without huge pages. */
class OnnxArenaOptionTest {

    private static OnnxArenaOption stage(String... args) {
        StageCommand stage = new StageCommand();
        new CommandLine(stage).parseArgs(args);
        return stage.arena;
    }

    @Test
    void autoShrinksOnlyWhereMallocHasHugePages() {
        OnnxArenaOption auto = stage("stylize");
        assertThat(auto.arena).isEqualTo(OnnxArenaOption.Arena.auto);
        assertThat(auto.resolve(true)).isTrue();
        assertThat(auto.resolve(false)).isFalse();
    }

    @Test
    void shrinkAndKeepHoldWhateverTheMemory() {
        assertThat(stage("stylize", "--onnx-arena", "shrink").resolve(false)).isTrue();
        assertThat(stage("stylize", "--onnx-arena", "keep").resolve(true)).isFalse();
    }

    @Test
    void runHasTheOptionToo() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--onnx-arena", "keep");
        assertThat(run.arena.resolve(true)).isFalse();
    }
}
