package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --onnx-spinning} as picocli parses it, and what {@code auto} means per deployment. */
class OnnxSpinningOptionTest {

    private static OnnxSpinningOption stage(String... args) {
        StageCommand stage = new StageCommand();
        new CommandLine(stage).parseArgs(args);
        return stage.spinning;
    }

    @Test
    void autoSpinsOnlyWhereTheGeneratorHasTheCoresToItself() {
        OnnxSpinningOption auto = stage("stylize");
        assertThat(auto.spinning).isEqualTo(OnnxSpinningOption.Spinning.auto);
        assertThat(auto.resolve(true)).isTrue();
        assertThat(auto.resolve(false)).isFalse();
    }

    @Test
    void onAndOffHoldWhateverTheDeployment() {
        OnnxSpinningOption on = stage("stylize", "--onnx-spinning", "on");
        OnnxSpinningOption off = stage("stylize", "--onnx-spinning", "off");
        assertThat(on.resolve(false)).isTrue();
        assertThat(off.resolve(true)).isFalse();
    }

    @Test
    void runHasTheOptionToo() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--onnx-spinning", "on");
        assertThat(run.spinning.resolve(false)).isTrue();
    }
}
