package io.animegan.tools;

import io.animegan.app.Main;
import io.animegan.tools.bench.BenchCommand;
import io.animegan.tools.soak.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The measuring tools, kept out of the product jar: {@code ./animegan bench} and
 * {@code ./animegan soak} run this main (the launcher routes them to {@code animegan-tools.jar}).
 */
@Command(
        name = "animegan",
        mixinStandardHelpOptions = true,
        version = "animegan-stream tools 0.1.0",
        description = "Measures animegan-stream: benchmarks and a memory soak of the embedded system.",
        subcommands = {BenchCommand.class, SoakCommand.class, CommandLine.HelpCommand.class})
public final class ToolsMain {

    @Option(
            names = Main.VERBOSE,
            scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return Main.configured(new CommandLine(new ToolsMain()));
    }
}
