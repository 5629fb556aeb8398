package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every option of every product command can also come from an ANIMEGAN_ variable, and says which. */
class OptionEnvironmentTest {

    @Test
    void everyOptionHasItsVariableNamedInItsDescription() {
        assertThat(OptionEnvironment.problems(Main.commandLine())).isEmpty();
    }

    @Test
    void runAndIngestReadTheSamePortVariable() {
        assertThat(port("run")).isEqualTo(port("ingest")).contains("ANIMEGAN_HTTP_PORT");
    }

    @Test
    void batchStillRequiresItsOutputWhenTheVariableIsUnset() {
        assertThat(System.getenv("ANIMEGAN_BATCH_OUT")).isNull();
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(new StringWriter()));
        assertThat(command.execute("batch", "photos")).isEqualTo(2);
    }

    private static String port(String command) {
        return OptionEnvironment.rawDefault(Main.commandLine()
                .getSubcommands()
                .get(command)
                .getCommandSpec()
                .findOption("--port"));
    }
}
