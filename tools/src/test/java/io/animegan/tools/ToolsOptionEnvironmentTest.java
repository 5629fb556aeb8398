package io.animegan.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.app.OptionEnvironment;
import org.junit.jupiter.api.Test;

/** bench and soak options, like the product's, can also come from ANIMEGAN_ variables, and say which. */
class ToolsOptionEnvironmentTest {

    @Test
    void everyOptionHasItsVariableNamedInItsDescription() {
        assertThat(OptionEnvironment.problems(ToolsMain.commandLine())).isEmpty();
    }
}
